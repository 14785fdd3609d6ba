"""Datasets in the folder layouts users already have, transforms, and the offline sample set."""

from edgegan.data.folders import (
    ImageFolderDataset,
    PairedABDataset,
    PairedFoldersDataset,
    UnpairedDataset,
    build_dataset,
)
from edgegan.data.transforms import PairTransform

__all__ = [
    "ImageFolderDataset",
    "PairTransform",
    "PairedABDataset",
    "PairedFoldersDataset",
    "UnpairedDataset",
    "build_dataset",
]
