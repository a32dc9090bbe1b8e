"""parmap-rotate against a bare TurboJPEG loop, PIL with Pool(2) and the libvips command line, in one run on
the same generated files (start-up included, best of N interleaved rounds, outputs removed before each run).

    python3 benchmarks/rotate/compare.py [--build build] [--rounds 9] [--baseline OLD_PARMAP_ROTATE]

parmap-rotate runs twice: as users run it (JPEG inputs turned losslessly, as these photos allow) and with
--reencode (decode, turn, encode: what the lossless path saves). --baseline adds another build of parmap-rotate
(a copy of the binary from before a change) to the same run, so that before and after are measured together.
Each row also prints its speed relative to PIL's, measured in the same run.

Needs the examples and the benchmarks built in --build (parmap-mandelbrot, parmap-rotate, and
benchmarks/rotate's parmap-rotate-bare-loop, which CMake builds with parmap-rotate); PIL (Debian python3-pil),
the vips command (libvips-tools) and libvips as a library (parmap-rotate-vips, built where CMake finds
libvips-dev) are compared when present (PIL_PYTHON names the Python to use). Files go to BUILD/rotate-bench.
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
parser = argparse.ArgumentParser()
parser.add_argument("--build", default="build")
parser.add_argument("--rounds", type=int, default=9)
parser.add_argument("--baseline", help="another parmap-rotate binary to time in the same run (e.g. a copy from before a change)")
parser.add_argument("--photos", help="a directory of real JPEG photos (such as the tutorial's 640x360 ones, whose 360 is not a "
                                     "multiple of 16), copied to 200 files and timed like the generated ones")
args = parser.parse_args()
baseline = os.path.abspath(args.baseline) if args.baseline else None
build = os.path.abspath(args.build)
work = os.path.join(build, "rotate-bench")
tool = os.path.join(build, "examples", "parmap-rotate")
mandelbrot = os.path.join(build, "examples", "parmap-mandelbrot")
bare_loop = os.path.join(build, "benchmarks", "rotate", "parmap-rotate-bare-loop")
vips_rotate = os.path.join(build, "benchmarks", "rotate", "parmap-rotate-vips")
if not os.path.exists(bare_loop):
    sys.exit(f"compare.py: {bare_loop} is not built (cmake --build {args.build} --target parmap-rotate-bare-loop)")
os.makedirs(work, exist_ok=True)
os.chdir(work)

if not glob.glob("photos/*.jpg"):
    subprocess.run([mandelbrot, "--count", "200", "--width", "640", "--height", "400", "--out-dir", "photos"], check=True)
if not glob.glob("large/*.jpg"):
    subprocess.run([mandelbrot, "--count", "8", "--width", "4000", "--height", "3000", "--iterations", "200",
                    "--out-dir", "large"], check=True)
if args.photos and not glob.glob("real/*.jpg"):
    os.makedirs("real", exist_ok=True)
    originals = sorted(glob.glob(os.path.join(os.path.abspath(args.photos), "*.jpg")))
    for k in range(200):
        shutil.copyfile(originals[k % len(originals)], f"real/photo_{k:03d}.jpg")
photos, large = sorted(glob.glob("photos/*.jpg")), sorted(glob.glob("large/*.jpg"))

PIL_ROW = "PIL, multiprocessing.Pool(2)"
small = {
    "parmap-rotate --workers 2": [tool, "photos", "-o", "out", "--quiet", "--workers", "2"],
    "parmap-rotate --workers 1": [tool, "photos", "-o", "out", "--quiet", "--workers", "1"],
    "parmap-rotate --workers 2 --reencode": [tool, "photos", "-o", "out", "--quiet", "--workers", "2", "--reencode"],
    "bare TurboJPEG + libharu loop, OpenMP 2 threads": [bare_loop, "out"] + photos,
}
if baseline:
    small["baseline " + os.path.basename(baseline) + " --workers 2"] = [baseline, "photos", "-o", "out", "--quiet", "--workers", "2"]
python = os.environ.get("PIL_PYTHON", sys.executable)  # a Python that imports PIL (Debian's: python3-pil)
if subprocess.run([python, "-c", "import PIL"], capture_output=True).returncode == 0:
    small[PIL_ROW] = [python, os.path.join(here, "pil_rotate.py"), "out"] + photos
else:
    print(f"{python} cannot import PIL: PIL is left out (set PIL_PYTHON to a Python that can)")
VIPS_PDF, VIPS_JPG = "libvips library, 2 threads, PDF (JPEG into libharu)", "libvips library, 2 threads, JPEG out"
PARMAP_JPG = "parmap-rotate --workers 2 --format jpg"
if os.path.exists(vips_rotate):
    small[VIPS_PDF] = [vips_rotate, "pdf", "out"] + photos
    small[PARMAP_JPG] = [tool, "photos", "-o", "out", "--quiet", "--workers", "2", "--format", "jpg"]
    small[VIPS_JPG] = [vips_rotate, "jpg", "out"] + photos
else:
    print("parmap-rotate-vips is not built (CMake found no libvips): the libvips library rows are left out (Debian: libvips-dev)")
if shutil.which("vips"):
    small["vips rot d180 per file, xargs -P2 (JPEG out)"] = [
        "sh", "-c", 'ls photos/*.jpg | xargs -P2 -I{} sh -c "vips rot {} out/\\$(basename {} .jpg)_flipped.jpg d180"']
big = {
    "4000x3000: parmap-rotate --workers 1": [tool, "large", "-o", "out", "--quiet", "--workers", "1"],
    "4000x3000: parmap-rotate --workers 2": [tool, "large", "-o", "out", "--quiet", "--workers", "2"],
}
if baseline:  # 3000 is not a multiple of 16: these 4:2:0 files are decoded and re-encoded by either build
    big["4000x3000: baseline --workers 2"] = [baseline, "large", "-o", "out", "--quiet", "--workers", "2"]


def measure(runs, rounds, count):
    best = {name: float("inf") for name in runs}
    env = dict(os.environ, OMP_NUM_THREADS="2")
    for _ in range(rounds):
        for name, command in runs.items():
            shutil.rmtree("out", ignore_errors=True)
            os.mkdir("out")
            start = time.perf_counter()
            subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
            best[name] = min(best[name], time.perf_counter() - start)
    pil = best.get(PIL_ROW)
    for name, seconds in best.items():
        versus = f"  {pil / seconds:5.2f}x PIL" if pil else ""
        print(f"{name:52s} {count / seconds:8.0f} images/s {1000 * seconds / count:8.2f} ms/image{versus}")
    return best


print(f"{len(photos)} files of 640x400, rotate 180 to PDF, best of {args.rounds} rounds:")
best = measure(small, args.rounds, len(photos))
if VIPS_PDF in best:
    print(f"parmap-rotate against the libvips library, same run: PDF {best[VIPS_PDF] / best['parmap-rotate --workers 2']:.2f}x, "
          f"JPEG {best[VIPS_JPG] / best[PARMAP_JPG]:.2f}x")
if args.photos:
    real = sorted(glob.glob("real/*.jpg"))
    real_runs = {"real photos: " + name: [("real" if part == "photos" else part) for part in command]
                 for name, command in small.items() if command[0] in (tool, baseline)}
    real_runs["real photos: bare TurboJPEG + libharu loop, OpenMP 2 threads"] = [bare_loop, "out"] + real
    if VIPS_PDF in small:
        real_runs["real photos: " + VIPS_PDF] = [vips_rotate, "pdf", "out"] + real
    print(f"{len(real)} copies of the photos in {args.photos}, rotate 180 to PDF:")
    measure(real_runs, args.rounds, len(real))
print(f"{len(large)} files of 4000x3000:")
measure(big, max(3, args.rounds // 3), len(large))
sys.stdout.flush()
