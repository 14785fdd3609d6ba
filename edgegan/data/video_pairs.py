"""Consecutive video frames with their optical flow, for temporal-consistency training (ReCoNet-style).

All frames of the given videos are decoded once, at ``size`` on the long side (a few hundred MB for a few
thousand frames). A sample is a pair (frame t - gap, frame t) cropped at the same random place, with the
backward flow t -> t - gap of the *input* frames (OpenCV DIS) and an occlusion mask from forward-backward
consistency, computed on the crop when the pair is drawn.
"""

from __future__ import annotations

import cv2
import numpy as np
import torch

from edgegan.errors import EdgeganError
from edgegan.flow import consistency_mask
from edgegan.media import find_sources, read_frames


class VideoPairs:
    def __init__(self, inputs: list[str], size: int = 256, crop: int = 128, gap: int = 1, seed: int = 0):

        _, videos = find_sources(inputs)
        if not videos:
            raise EdgeganError(f"no videos found in {', '.join(map(repr, inputs))} for the temporal loss")
        self.videos = [read_frames(str(v), size) for v in videos]
        self.videos = [v for v in self.videos if len(v) > gap and min(v[0].shape[:2]) >= crop]
        if not self.videos:
            raise EdgeganError(f"no video has more than {gap} frames of at least {crop} px on the short side")
        self.crop, self.gap = crop, gap
        self.rng = np.random.default_rng(seed)
        self.dis = cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)

    def _pair(self):

        frames = self.videos[self.rng.integers(len(self.videos))]
        t = int(self.rng.integers(self.gap, len(frames)))
        h, w = frames[t].shape[:2]
        y, x = int(self.rng.integers(0, h - self.crop + 1)), int(self.rng.integers(0, w - self.crop + 1))
        prev, cur = (frames[i][y : y + self.crop, x : x + self.crop] for i in (t - self.gap, t))
        if self.rng.random() < 0.5:  # time reversal: the same consistency, twice the pairs
            prev, cur = cur, prev
        g0, g1 = cv2.cvtColor(prev, cv2.COLOR_RGB2GRAY), cv2.cvtColor(cur, cv2.COLOR_RGB2GRAY)
        back, fwd = self.dis.calc(g1, g0, None), self.dis.calc(g0, g1, None)
        return prev, cur, back, consistency_mask(back, fwd)

    def sample(self, n: int) -> dict[str, torch.Tensor]:
        """``prev``, ``cur``: (n, 3, crop, crop) in [-1, 1]; ``flow``: (n, crop, crop, 2) cur -> prev;
        ``mask``: (n, 1, crop, crop), 1 where the flow is trusted."""
        items = [self._pair() for _ in range(n)]

        def images(k):
            return torch.from_numpy(np.stack([it[k] for it in items])).permute(0, 3, 1, 2).float() / 127.5 - 1

        return {
            "prev": images(0),
            "cur": images(1),
            "flow": torch.from_numpy(np.stack([it[2] for it in items])),
            "mask": torch.from_numpy(np.stack([it[3] for it in items]))[:, None],
        }
