"""Single-sequence structure model: 1D dilated residual CNN + small 2D pair head.

Fully convolutional, so any length works at inference (ONNX dynamic axis).
Input  aatype int64 [1, L] (alphabet ACDEFGHIKLMNPQRSTVWY, 20 = unknown)
Outputs ss8 [1,L,8] probs, torsion [1,L,4] (sin phi, cos phi, sin psi, cos psi),
        profile [1,L,20] probs, confidence [1,L] in 0..1, distogram [1,L,L,NBINS] probs.
"""
import torch, torch.nn as nn, torch.nn.functional as F

AA = 'ACDEFGHIKLMNPQRSTVWY'
SS8 = 'HGIEBTS-'
DIST_EDGES = list(range(2, 23))   # Å; bin k = number of edges <= d  -> 22 bins
NBINS = len(DIST_EDGES) + 1

class Res1D(nn.Module):
    def __init__(self, c, d):
        super().__init__()
        self.c1 = nn.Conv1d(c, c, 5, padding=2 * d, dilation=d)
        self.c2 = nn.Conv1d(c, c, 5, padding=2 * d, dilation=d)
        self.n1, self.n2 = nn.GroupNorm(1, c), nn.GroupNorm(1, c)
    def forward(self, x):
        return x + self.c2(F.gelu(self.n2(self.c1(F.gelu(self.n1(x))))))

class Res2D(nn.Module):
    def __init__(self, c, d):
        super().__init__()
        self.c1 = nn.Conv2d(c, c, 3, padding=d, dilation=d)
        self.n1 = nn.GroupNorm(1, c)
    def forward(self, x):
        return x + self.c1(F.gelu(self.n1(x)))

class SSRefine(nn.Module):
    """Second-stage secondary structure: a window over the first stage's 8-state probabilities and
    the trunk's features corrects its logits (as PSIPRED's second network does), so neighbouring
    residues agree (no one-residue helices, strands in runs). The last layer starts at zero: an
    untrained refinement leaves the first stage unchanged."""
    def __init__(self, c, hidden=32, k=15):
        super().__init__()
        self.a = nn.Conv1d(8 + c, hidden, k, padding=k // 2)
        self.b = nn.Conv1d(hidden, 8, k, padding=k // 2)
        nn.init.zeros_(self.b.weight); nn.init.zeros_(self.b.bias)
    def forward(self, x, ss_logits):                                  # [B,C,L], [B,8,L]
        return ss_logits + self.b(F.gelu(self.a(torch.cat([F.softmax(ss_logits, 1), x], 1))))

class FoldsightNet(nn.Module):
    def __init__(self, c1=128, blocks=(1, 2, 4, 8, 1, 2, 4, 8), c2=24, blocks2=(1, 2, 4), ss_refine=False):
        super().__init__()
        self.ss_refine = SSRefine(c1) if ss_refine else None
        self.emb = nn.Embedding(21, c1)
        self.trunk = nn.Sequential(*[Res1D(c1, d) for d in blocks])
        self.ss = nn.Conv1d(c1, 8, 1)
        self.tor = nn.Conv1d(c1, 4, 1)
        self.prof = nn.Conv1d(c1, 20, 1)
        self.conf = nn.Conv1d(c1, 1, 1)
        self.left, self.right = nn.Conv1d(c1, c2, 1), nn.Conv1d(c1, c2, 1)
        self.pair_in = nn.Conv2d(2 * c2 + 1, c2, 1)
        self.pair = nn.Sequential(*[Res2D(c2, d) for d in blocks2])
        self.dist = nn.Conv2d(c2, NBINS, 1)

    def logits(self, aatype):
        x = self.trunk(self.emb(aatype).transpose(1, 2))            # [B,C,L]
        L = x.shape[2]
        a, b = self.left(x), self.right(x)                          # [B,c2,L]
        pos = torch.arange(L, device=x.device, dtype=x.dtype)
        sep = torch.log1p(torch.abs(pos[:, None] - pos[None, :]))[None, None].expand(x.shape[0], 1, L, L)
        p = torch.cat([a[:, :, :, None].expand(-1, -1, -1, L), b[:, :, None, :].expand(-1, -1, L, -1), sep], 1)
        p = self.pair(self.pair_in(p))
        d = self.dist(p)
        d = 0.5 * (d + d.transpose(2, 3))                          # distances are symmetric
        ss = self.ss(x)
        if self.ss_refine is not None:
            ss = self.ss_refine(x, ss)
        return dict(ss8=ss.transpose(1, 2), torsion=self.tor(x).transpose(1, 2),
                    profile=self.prof(x).transpose(1, 2), confidence=self.conf(x)[:, 0],
                    distogram=d.permute(0, 2, 3, 1))

    def forward(self, aatype):
        o = self.logits(aatype)
        t = o['torsion'].reshape(o['torsion'].shape[0], -1, 2, 2)
        t = t / torch.sqrt((t * t).sum(-1, keepdim=True) + 1e-6)
        return (F.softmax(o['ss8'], -1), t.reshape(t.shape[0], -1, 4), F.softmax(o['profile'], -1),
                torch.sigmoid(o['confidence']), F.softmax(o['distogram'], -1))

OUTPUT_NAMES = ['ss8', 'torsion', 'profile', 'confidence', 'distogram']

def has_ss_refine(state_dict):
    return any(k.startswith('ss_refine.') for k in state_dict)
