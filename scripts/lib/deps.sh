# shellcheck shell=bash
# shellcheck disable=SC2034  # the package lists are used by the scripts that source this file
# Helpers shared by the Quick-start scripts: say what is happening, and install the Debian packages
# the build needs (only the missing ones, with apt-get, through sudo when not root).
#
#   source "scripts/lib/deps.sh"
#   parmap_require_packages "${PARMAP_PACKAGES_BASE[@]}" "${PARMAP_PACKAGES_EXAMPLES[@]}"
#
# PARMAP_SKIP_DEPS=1 skips the installation (for machines where you manage packages yourself).

# What each part of the build needs (Debian 12 package names).
PARMAP_PACKAGES_BASE=(cmake make g++)                       # g++ brings libgomp: OpenMP for parmap::openmp
PARMAP_PACKAGES_EXAMPLES=(libcli11-dev libstb-dev)          # the examples' command lines; stb_image_write for PNGs
PARMAP_PACKAGES_EXAMPLES+=(libturbojpeg0-dev libhpdf-dev)   # parmap-rotate: JPEG (TurboJPEG), PDF (libharu)
PARMAP_PACKAGES_EXAMPLES+=(libfast-float-dev zlib1g-dev)   # parmap-taxi: correctly rounded number parsing, .csv.gz
PARMAP_PACKAGES_EXAMPLES+=(libplplot-dev plplot-driver-cairo)  # parmap-taxi --plot: PLplot and its cairo PNG/PDF drivers
PARMAP_PACKAGES_TESTS=(catch2 pkg-config)                   # Catch2 2.x; pkg-config for the packaging test
PARMAP_PACKAGES_TESTS+=(poppler-utils)                      # pdftoppm, pdfinfo: tests/rotate reads PDFs back
PARMAP_PACKAGES_TESTS+=(libopenmpi-dev openmpi-bin)        # MPI: tests/mpi (mpiexec -n 1, 2, 4), parmap-mpi-pi, parmap-mpi-mean
PARMAP_PACKAGES_TESTS+=(libeigen3-dev)                      # Eigen: tests/eigen and the header check of parmap/eigen.hpp
PARMAP_PACKAGES_TESTS+=(slurm-wlm munge)                    # parmap-run: a real one-node Slurm for run.slurm_cluster
PARMAP_PACKAGES_BENCHMARKS=(libbenchmark-dev libtbb-dev)    # Google Benchmark; TBB for the rival versions
PARMAP_PACKAGES_CLANG=(clang libomp-dev)                    # when CXX is clang++: the compiler and its OpenMP

# Prints a step heading.
parmap_step() {
    printf '\n==> %s\n' "$*"
}

# Prints a command, then runs it.
parmap_run() {
    printf '$ %s\n' "$*"
    "$@"
}

# The packages for the compiler named by $CXX (nothing extra for the default g++).
parmap_compiler_packages() {
    case "${CXX:-}" in
        *clang*) printf '%s\n' "${PARMAP_PACKAGES_CLANG[@]}" ;;
    esac
}

# True when the Debian package is installed (not merely known or removed with its config left).
parmap_package_installed() {
    dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'
}

# Installs whichever of the given Debian packages are missing.
parmap_require_packages() {
    if [[ "${PARMAP_SKIP_DEPS:-0}" == 1 ]]; then
        echo "PARMAP_SKIP_DEPS=1: not installing packages; make sure these are present: $*"
        return 0
    fi
    if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
        echo "No dpkg/apt-get here (not Debian or Ubuntu): install the equivalents of these yourself: $*"
        return 0
    fi

    local missing=() package
    for package in "$@"; do
        parmap_package_installed "$package" || missing+=("$package")
    done
    if [[ ${#missing[@]} -eq 0 ]]; then
        echo "Already installed: $*"
        return 0
    fi

    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "error: these packages are missing and installing them needs root (no sudo here): ${missing[*]}" >&2
            return 1
        fi
        # Without a terminal (CI) sudo must not wait for a password that nobody can type.
        if [[ -t 0 ]]; then sudo=(sudo); else sudo=(sudo -n); fi
    fi
    echo "Installing missing packages: ${missing[*]}"
    parmap_run "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
    parmap_run "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}
