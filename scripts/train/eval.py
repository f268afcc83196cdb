#!/usr/bin/python3
"""Report Q3 and distogram top-L/5 long-range (|i-j| >= 24) Cb contact precision (< 8 Å)
on validation_denovo / validation_homolog. Reporting only: never used for training decisions.
  /usr/bin/python3 scripts/train/eval.py [--ckpt build/train/ckpt-full.pt --width 128]
Runs the torch checkpoint that train.py saved alongside the ONNX export.
"""
import argparse, os, sys
import numpy as np, torch
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model as M
from train import load, SS3, ROOT

def contact_precision(dist_probs, cb):
    L = len(cb)
    p8 = dist_probs[:, :, :1 + M.DIST_EDGES.index(8)].sum(-1)   # bins below 8 Å: P(d < 8 Å)
    d = np.sqrt(((cb[:, None] - cb[None]) ** 2).sum(-1))
    i, j = np.triu_indices(L, 24)
    if len(i) == 0: return None
    k = max(1, L // 5)
    top = np.argsort(-p8[i, j])[:k]
    return float((d[i[top], j[top]] < 8).mean())

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ckpt', default=os.path.join(ROOT, 'build', 'train', 'ckpt-full.pt'))
    ap.add_argument('--width', type=int, default=128)
    a = ap.parse_args()
    torch.set_num_threads(2)
    sd = torch.load(a.ckpt)
    net = M.FoldsightNet(c1=a.width, ss_refine=M.has_ss_refine(sd)); net.load_state_dict(sd); net.eval()
    for name in ('report_denovo', 'report_homolog'):
        chains = load(os.path.join(ROOT, 'build', 'train', name + '.npz'))
        hit = tot = 0; precs = []
        with torch.no_grad():
            for c in chains:
                ss8, _, _, _, dist = net(torch.from_numpy(c['aa'])[None])
                p = ss8[0].argmax(-1).numpy()
                hit += (SS3[p] == SS3[c['ss']]).sum(); tot += len(p)
                pr = contact_precision(dist[0].numpy(), c['cb'])
                if pr is not None: precs.append(pr)
        print('%s: %d chains, Q3 %.3f, top-L/5 long-range contact precision %.3f'
              % (name, len(chains), hit / tot, np.mean(precs)), flush=True)

if __name__ == '__main__':
    main()
