"""The tutorial's job in Python, as parmap-rotate's comparison: PIL with multiprocessing.Pool(2).
    python3 pil_rotate.py OUT_DIR FILE...
"""
import os
import sys
from multiprocessing import Pool

from PIL import Image


def flip(path):
    name = os.path.splitext(os.path.basename(path))[0]
    Image.open(path).rotate(180).save(os.path.join(sys.argv[1], name + "_flipped.pdf"))


if __name__ == "__main__":
    with Pool(2) as pool:
        pool.map(flip, sys.argv[2:])
