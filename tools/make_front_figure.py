#!/usr/bin/env python
"""Draw the front page's picture, nbs/images/front.png: CT | MRI | fused on a real CT-MRI pair, and a colour PET (or
SPECT) | MRI | fused pair, each fused by the shipped network of its modality through `fuse`. The pairs come from the
validation series of the Harvard atlas folder that FUSION_NB_DATA names (the images are not distributed; only this
small figure, at 72 dpi, is committed).

Usage: FUSION_NB_DATA=/path/to/harvard python tools/make_front_figure.py [OUT.png]   (from the project root)"""
import sys
from pathlib import Path
import matplotlib
matplotlib.use('Agg')
from fusion_nb import fuse, load_image
from fusion_nb.data import harvard_dataset, has_data
from fusion_nb.viz import subplots, show_image

ROWS = (('CT-MRI', 'ct-mri', 'gray'), ('PET-MRI', 'pet-mri', 'rgb'))

def main(out='nbs/images/front.png'):
    if not has_data(): sys.exit("FUSION_NB_DATA does not name the Harvard atlas folder (CT-MRI/, PET-MRI/, SPECT-MRI/).")
    fig, axs = subplots(len(ROWS), 3, imsize=2.2)
    for row, (modality, model, mode) in zip(axs, ROWS):
        ds = harvard_dataset(modality, 'val')
        name = ds.names[len(ds.names) // 2]                       # a slice from the middle of the validation series
        src, mri = load_image(ds.ct_dir/name, mode), load_image(ds.mri_dir/name)
        kind = modality.split('-')[0]
        for ax, im, title in zip(row, (src, mri, fuse(src, mri, model)), (kind, 'MRI', f'fused ({model})')):
            show_image(im, ax=ax, title=title)
    fig.tight_layout()
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=72)
    print(f"{out}: {Path(out).stat().st_size // 1024} KB")

if __name__ == '__main__': main(*sys.argv[1:])
