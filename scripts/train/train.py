#!/usr/bin/python3
"""Train FoldsightNet from build/train/*.npz, export models/foldsight-ss-dist.onnx + manifest.

  /usr/bin/python3 scripts/train/train.py --config full    # the real, time-bounded run
  /usr/bin/python3 scripts/train/train.py --config smoke   # < 60 s, part of `make test`
  ... --init build/train/ckpt-full.pt --stage ss_refine       # last: the second-stage SS head alone
Smoke writes into build/train/smoke/ and never touches models/.
"""
import argparse, hashlib, json, os, sys, time
import numpy as np, torch, torch.nn.functional as F
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model as M

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONFIGS = {
    'smoke': dict(minutes=0.4, max_steps=6, crop=64, batch=4, width=32, data_limit=40, out='build/train/smoke'),
    'full': dict(minutes=40, max_steps=10**9, crop=128, batch=8, width=128, data_limit=0, out='models'),
}
SS3 = np.array([0, 0, 0, 1, 1, 2, 2, 2])   # H,G,I -> H ; E,B -> E ; rest -> C

def load(path, limit=0):
    npz = np.load(path)
    z = {k: npz[k] for k in npz.files}   # decompress each array once (NpzFile re-reads on every access)
    off = np.concatenate([[0], np.cumsum(z['lens'])])
    n = len(z['lens']) if not limit else min(limit, len(z['lens']))
    return [dict(name=str(z['names'][k]), aa=z['aa'][off[k]:off[k+1]].astype(np.int64),
                 ss=z['ss'][off[k]:off[k+1]].astype(np.int64), dih=z['dih'][off[k]:off[k+1]],
                 cb=z['cb'][off[k]:off[k+1]], prof=z['prof'][off[k]:off[k+1]]) for k in range(n)]

def dist_bins(cb):
    d = np.sqrt(((cb[:, None] - cb[None]) ** 2).sum(-1))
    return np.searchsorted(np.array(M.DIST_EDGES, np.float32), d, side='right')

def batch(chains, rng, crop, bsz):
    pick = [chains[i] for i in rng.integers(0, len(chains), bsz)]
    L = min(crop, min(len(c['aa']) for c in pick))
    out = {k: [] for k in ('aa', 'ss', 'dih', 'prof', 'dist')}
    for c in pick:
        s = rng.integers(0, len(c['aa']) - L + 1)
        sl = slice(s, s + L)
        for k in ('aa', 'ss', 'dih', 'prof'):
            out[k].append(c[k][sl])
        out['dist'].append(dist_bins(c['cb'][sl]))
    return {k: torch.from_numpy(np.stack(v)) for k, v in out.items()}

def losses(net, b):
    o = net.logits(b['aa'])
    l_ss = F.cross_entropy(o['ss8'].reshape(-1, 8), b['ss'].reshape(-1))
    # torsions: StructureDB gives radians; undefined terminal angles are masked out
    dih = b['dih']
    ok = torch.isfinite(dih) & (dih.abs() <= 3.1416)
    tgt = torch.stack([torch.sin(dih[..., 0]), torch.cos(dih[..., 0]), torch.sin(dih[..., 1]), torch.cos(dih[..., 1])], -1)
    m = torch.stack([ok[..., 0], ok[..., 0], ok[..., 1], ok[..., 1]], -1).float()
    t = o['torsion'].reshape(*o['torsion'].shape[:2], 2, 2)
    t = (t / torch.sqrt((t * t).sum(-1, keepdim=True) + 1e-6)).reshape_as(tgt)
    l_tor = (((t - torch.nan_to_num(tgt)) ** 2) * m).sum() / m.sum().clamp(min=1)
    l_prof = -(b['prof'] * F.log_softmax(o['profile'], -1)).sum(-1).mean()   # KL up to a constant
    l_dist = F.cross_entropy(o['distogram'].reshape(-1, M.NBINS), b['dist'].reshape(-1))
    # confidence learns P(Q3 state correct) for each residue
    pred3 = torch.from_numpy(SS3)[o['ss8'].argmax(-1)]
    correct = (pred3 == torch.from_numpy(SS3)[b['ss']]).float()
    l_conf = F.binary_cross_entropy_with_logits(o['confidence'], correct)
    total = l_ss + l_tor + 0.5 * l_prof + l_dist + 0.2 * l_conf
    return total, dict(ss=l_ss.item(), tor=l_tor.item(), prof=l_prof.item(), dist=l_dist.item(), conf=l_conf.item())

def refine_loss(net, chains, max_len=1000):
    # The trunk and first-stage heads stay as trained; only the refinement learns (model.SSRefine).
    # Whole chains, not crops: the first stage learnt on 128-residue crops, but predicts whole
    # chains, where its dilated convolutions see more context than they ever did in training;
    # the refinement learns from what it will be given. (On 128-residue crops it gained nothing
    # on the validation chains; on whole chains Q3 0.733 -> 0.741.)
    total = 0
    for c in chains:
        with torch.no_grad():
            x = net.trunk(net.emb(torch.from_numpy(c['aa'][:max_len])[None]).transpose(1, 2))
            first = net.ss(x)
        total = total + F.cross_entropy(net.ss_refine(x, first)[0].transpose(0, 1), torch.from_numpy(c['ss'][:max_len]))
    l_ss = total / len(chains)
    return l_ss, dict(ss=l_ss.item())

@torch.no_grad()
def q3(net, chains, max_len=1000):
    hit = tot = 0
    for c in chains:
        aa = torch.from_numpy(c['aa'][:max_len])[None]
        p = net(aa)[0][0].argmax(-1).numpy()
        hit += (SS3[p] == SS3[c['ss'][:max_len]]).sum(); tot += len(p)
    return hit / max(tot, 1)

def export(net, out_dir, cfg_name, cmd, data_sha, stats):
    net.eval()
    onnx_path = os.path.join(out_dir, 'foldsight-ss-dist.onnx')
    dummy = torch.randint(0, 21, (1, 37))
    dyn = {'aatype': {1: 'L'}, 'ss8': {1: 'L'}, 'torsion': {1: 'L'}, 'profile': {1: 'L'},
           'confidence': {1: 'L'}, 'distogram': {1: 'L', 2: 'L'}}
    torch.onnx.export(net, (dummy,), onnx_path, opset_version=17, input_names=['aatype'],
                      output_names=M.OUTPUT_NAMES, dynamic_axes=dyn)
    import onnx
    onnx.checker.check_model(onnx.load(onnx_path))
    # reference for tests/e2e/model_node.test.mjs: fixed sequence, torch outputs
    seq = 'MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQAPILSRVGDGTQDNLSGAEKAVQVKVKALPDAQFEVVHSLAKWKRQTLGQ'
    aa = torch.tensor([[M.AA.find(ch) if ch in M.AA else 20 for ch in seq]])
    with torch.no_grad():
        outs = net(aa)
    ref = dict(sequence=seq, aatype=aa[0].tolist(),
               outputs={n: dict(shape=list(o.shape), data=[round(float(v), 7) for v in o.reshape(-1)])
                        for n, o in zip(M.OUTPUT_NAMES, outs)})
    with open(os.path.join(out_dir, 'foldsight-ss-dist.reference.json'), 'w') as f:
        json.dump(ref, f)
    with open(onnx_path, 'rb') as f:
        model_sha = hashlib.sha256(f.read()).hexdigest()
    manifest = dict(
        name='foldsight-ss-dist', version='0.1.%s' % cfg_name, file='foldsight-ss-dist.onnx', sha256=model_sha,
        size_bytes=os.path.getsize(onnx_path), opset=17,
        inputs=[dict(name='aatype', dtype='int64', shape=[1, 'L'],
                     alphabet=M.AA, unknown_index=20, note='one-letter codes mapped by position in alphabet; other letters -> 20')],
        outputs=[dict(name='ss8', dtype='float32', shape=[1, 'L', 8], states=M.SS8, note='softmax probabilities, DSSP 8-state ("-" = coil)'),
                 dict(name='torsion', dtype='float32', shape=[1, 'L', 4], note='sin phi, cos phi, sin psi, cos psi (unit pairs)'),
                 dict(name='profile', dtype='float32', shape=[1, 'L', 20], alphabet=M.AA, note='predicted HHblits frequencies (auxiliary; joins the query profile when templates are realigned)'),
                 dict(name='confidence', dtype='float32', shape=[1, 'L'], note='P(Q3 state correct) per residue'),
                 dict(name='distogram', dtype='float32', shape=[1, 'L', 'L', M.NBINS],
                      bin_edges_angstrom=M.DIST_EDGES,
                      note='Cb-Cb distance probabilities; bin 0 < 2 A, bin k in [edge[k-1], edge[k]), last bin >= 22 A')],
        training_command=cmd, dataset_sha256=data_sha, training=stats)
    with open(os.path.join(out_dir, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=2)
    print('exported', onnx_path, manifest['size_bytes'], 'bytes', flush=True)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--config', choices=CONFIGS, default='smoke')
    ap.add_argument('--minutes', type=float, help='override wall-time budget')
    ap.add_argument('--crop', type=int, help='override the crop length (a late stage on longer crops: the model predicts whole chains)')
    ap.add_argument('--batch', type=int, help='override the batch size')
    ap.add_argument('--data', default=os.path.join(ROOT, 'build', 'train'))
    ap.add_argument('--threads', type=int, default=2, help='torch CPU threads')
    ap.add_argument('--init', help='start from this state_dict (a warm restart of the cosine schedule)')
    ap.add_argument('--lr', type=float, default=2e-3, help='peak learning rate of the cosine schedule')
    ap.add_argument('--out', help='export folder instead of the config\'s (to compare before replacing models/)')
    ap.add_argument('--seed', type=int, default=0, help='crop/batch and torch seed (a restart wants new batches)')
    ap.add_argument('--stage', choices=['joint', 'ss_refine'], default='joint',
                    help='joint: every head and the trunk; ss_refine: only the second-stage SS head (needs --init)')
    a = ap.parse_args()
    cfg = dict(CONFIGS[a.config])
    if a.minutes: cfg['minutes'] = a.minutes
    if a.crop: cfg['crop'] = a.crop
    if a.batch: cfg['batch'] = a.batch
    torch.set_num_threads(a.threads); torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    train = load(os.path.join(a.data, 'train.npz'), cfg['data_limit'])
    val = load(os.path.join(a.data, 'val.npz'), 0 if a.config == 'full' else 8)
    with open(os.path.join(a.data, 'dataset.sha256')) as f:
        data_sha = f.read().strip()
    out_dir = os.path.join(ROOT, a.out or cfg['out']); os.makedirs(out_dir, exist_ok=True)
    ckpt = os.path.join(ROOT, 'build', 'train', 'ckpt-%s.pt' % a.config)
    if a.stage == 'ss_refine' and not a.init: sys.exit('--stage ss_refine refines a trained model: give --init')
    init = torch.load(a.init) if a.init else {}
    init_refined = M.has_ss_refine(init)
    net = M.FoldsightNet(c1=cfg['width'], ss_refine=a.stage == 'ss_refine' or init_refined)
    if a.init:
        # a refinement stage starts its head from zero (SSRefine), so the init may lack it
        net.load_state_dict(init, strict=init_refined or a.stage != 'ss_refine')
        prev = None   # the manifest beside the init keeps the earlier stages' command and stats
        man = os.path.join(ROOT, CONFIGS[a.config]['out'], 'manifest.json')
        if os.path.exists(man):
            with open(man) as f: prev = json.load(f)
    params = net.ss_refine.parameters() if a.stage == 'ss_refine' else net.parameters()
    opt = torch.optim.AdamW(params, lr=a.lr, weight_decay=1e-4)
    t0 = time.time(); step = 0; last_ckpt = t0; budget = cfg['minutes'] * 60
    print('train chains', len(train), 'val chains', len(val), 'params', sum(p.numel() for p in net.parameters()), flush=True)
    while time.time() - t0 < budget and step < cfg['max_steps']:
        frac = (time.time() - t0) / budget
        for g in opt.param_groups: g['lr'] = a.lr * 0.5 * (1 + np.cos(np.pi * min(frac, 1)))   # cosine on wall time
        net.train()
        if a.stage == 'ss_refine':
            loss, parts = refine_loss(net, [train[i] for i in rng.integers(0, len(train), cfg['batch'])])
        else:
            loss, parts = losses(net, batch(train, rng, cfg['crop'], cfg['batch']))
        opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0); opt.step()
        step += 1
        if step % 50 == 0 or a.config == 'smoke':
            print('step %d t=%.0fs loss %.3f %s' % (step, time.time() - t0, loss.item(),
                  ' '.join('%s=%.3f' % kv for kv in parts.items())), flush=True)
        if time.time() - last_ckpt > 300:
            net.eval(); print('step %d val Q3 %.3f' % (step, q3(net, val[:200])), flush=True)
            torch.save(net.state_dict(), ckpt); last_ckpt = time.time()
    net.eval()
    vq3 = float(q3(net, val))
    print('final step %d, %.1f min, val Q3 %.3f' % (step, (time.time() - t0) / 60, vq3), flush=True)
    torch.save(net.state_dict(), ckpt)
    stats = dict(steps=step, minutes=round((time.time() - t0) / 60, 1), val_q3=round(vq3, 4),
                 crop=cfg['crop'], batch=cfg['batch'], width=cfg['width'], train_chains=len(train))
    cmd = '/usr/bin/python3 scripts/train/export_dataset.py && /usr/bin/python3 scripts/train/train.py --config ' + a.config
    if a.minutes: cmd += ' --minutes %g' % a.minutes
    if a.crop: cmd += ' --crop %d' % a.crop
    if a.batch: cmd += ' --batch %d' % a.batch
    if a.threads != 2: cmd += ' --threads %d' % a.threads
    if a.init:
        # a warm restart: the command reproduces every stage in order
        cmd += ' --init %s' % os.path.relpath(a.init, ROOT)
        if a.lr != 2e-3: cmd += ' --lr %g' % a.lr
        if a.seed: cmd += ' --seed %d' % a.seed
        if a.stage != 'joint': cmd += ' --stage ' + a.stage
        if prev:
            earlier = prev['training_command'].split(' && ', 1)[1] if ' && ' in prev['training_command'] else prev['training_command']
            cmd = cmd.replace('/usr/bin/python3 scripts/train/export_dataset.py && ',
                              '/usr/bin/python3 scripts/train/export_dataset.py && ' + earlier + ' && ')
            stats['earlier_stages'] = prev.get('training')
    export(net, out_dir, a.config, cmd,
           data_sha, stats)

if __name__ == '__main__':
    main()
