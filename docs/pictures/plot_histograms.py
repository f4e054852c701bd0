#!/usr/bin/env python3
"""Histograms of values clinit generated on the OpenCL device, over the theoretical density of each
initializer family; writes docs/pictures/*.png (640x400).

    python3 docs/pictures/plot_histograms.py [--out DIR] [--cli PATH]

Needs numpy and matplotlib. Values come from the Python package (python/, clinit.Context.default()); where
it cannot load libclinit, from `clinit sample` (--cli, $CLINIT_CLI or build/host/cli/clinit). The device is
chosen as everywhere by CLINIT_DEVICE. The densities are written here from the formulas (PyTorch's and
Keras's), with fans from clinit.compute_fans or the shape, not taken from the library's own resolution.
"""
import argparse
import math
import os
import pathlib
import subprocess
import sys
import tempfile

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
SEED = 2024


# ---- samplers -----------------------------------------------------------------------------------------------

class PackageSampler:
    def __init__(self):
        sys.path.insert(0, str(REPO / "python"))
        import clinit  # noqa: E402
        self.clinit = clinit
        self.ctx = clinit.Context.default()
        self.what = "clinit %s (Python package, %s)" % (clinit.library_version(), clinit.library_path())

    def __call__(self, shape, init, stream, **params):
        return self.ctx.sample(shape, init, seed=SEED, stream=stream, **params)


class CliSampler:
    def __init__(self, cli):
        self.cli = cli
        self.what = "`%s sample`" % cli

    def __call__(self, shape, init, stream, **params):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "v.npy")
            cmd = [self.cli, "sample", init, "--shape", ",".join(map(str, shape)), "--seed", str(SEED),
                   "--stream", str(stream), "--out", out]
            for k, v in params.items():
                cmd += ["--param", "%s=%s" % (k, v)]
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            return np.load(out)


def make_sampler(cli):
    try:
        return PackageSampler()
    except (ImportError, OSError) as e:
        cli = cli or os.environ.get("CLINIT_CLI") or str(REPO / "build" / "host" / "cli" / "clinit")
        if not os.access(cli, os.X_OK):
            sys.exit("neither the Python package (%s) nor the clinit tool (%s) is usable" % (e, cli))
        return CliSampler(cli)


# ---- densities ----------------------------------------------------------------------------------------------

def normal_pdf(x, mean, std):
    return np.exp(-0.5 * ((x - mean) / std) ** 2) / (std * math.sqrt(2 * math.pi))


def normal_cdf(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def trunc_normal_pdf(x, mean, std, a, b):
    z = normal_cdf((b - mean) / std) - normal_cdf((a - mean) / std)
    return np.where((x >= a) & (x <= b), normal_pdf(x, mean, std) / z, 0.0)


def uniform_pdf(x, low, high):
    return np.where((x >= low) & (x < high), 1.0 / (high - low), 0.0)


def sphere_coordinate_pdf(x, n, gain=1.0):
    """Density of one coordinate of a uniform point on the unit sphere of R^n, scaled by gain: the entries of a
    Haar-random matrix with orthonormal rows of length n."""
    u = np.clip(x / gain, -1, 1)
    logc = math.lgamma(n / 2) - math.lgamma((n - 1) / 2) - 0.5 * math.log(math.pi)
    return np.exp(logc) * (1 - u * u) ** ((n - 3) / 2) / gain


# ---- figures ------------------------------------------------------------------------------------------------

def panel(ax, values, pdf, title, support, note="", extra=None):
    v = np.asarray(values, dtype=np.float64).ravel()
    lo, hi = support
    heights, _, _ = ax.hist(v, bins=120, range=(lo, hi), density=True, color="#9ecae1", edgecolor="#6baed6",
                            linewidth=0.3, label="clinit, %s values" % format(v.size, ","))
    x = np.linspace(lo, hi, 1201)
    ax.plot(x, pdf(x), color="#08306b", linewidth=1.4, label="density")
    ax.set_ylim(0, 1.5 * max(heights.max(), pdf(x).max()))  # room above for the numbers and the legend
    if extra:
        ax.plot(x, extra[0](x), color="#cb181d", linewidth=1.1, linestyle="--", label=extra[1])
    ax.set_title(title, fontsize=10)
    ax.set_xlim(lo, hi)
    ax.tick_params(labelsize=8)
    stats = "mean %.4g\nstd %.4g\nmin %.4g\nmax %.4g%s" % (v.mean(), v.std(), v.min(), v.max(),
                                                           ("\n" + note) if note else "")
    ax.text(0.02, 0.97, stats, transform=ax.transAxes, va="top", fontsize=7.5, family="monospace")
    ax.legend(fontsize=7.5, loc="upper right", frameon=False)


def figure(plt, panels, name, out, suptitle):
    fig, axes = plt.subplots(1, len(panels), figsize=(6.4, 4.0), dpi=100, squeeze=False)
    for ax, p in zip(axes[0], panels):
        panel(ax, **p)
    fig.suptitle(suptitle, fontsize=11)
    fig.tight_layout()
    path = out / name
    fig.savefig(path, dpi=100)
    plt.close(fig)
    print("%s: %d bytes" % (path, path.stat().st_size))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(HERE), help="folder of the PNGs (default: this script's)")
    ap.add_argument("--cli", help="the clinit tool, used when the Python package cannot load libclinit")
    args = ap.parse_args()
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sample = make_sampler(args.cli)
    print("values from", sample.what, "seed", SEED)
    n = 1 << 20

    def fans_oi(shape):  # PyTorch layout (out, in, k...)
        rf = math.prod(shape[2:])
        return shape[1] * rf, shape[0] * rf

    # uniform
    a, b = -0.5, 1.5
    figure(plt, [dict(values=sample((n,), "uniform", 1, a=a, b=b), pdf=lambda x: uniform_pdf(x, a, b),
                      title="uniform(a=%g, b=%g)" % (a, b), support=(-1.0, 2.0))],
           "uniform.png", out, "uniform: U[a, b)")

    # normal
    m, s = 0.5, 2.0
    figure(plt, [dict(values=sample((n,), "normal", 2, mean=m, std=s), pdf=lambda x: normal_pdf(x, m, s),
                      title="normal(mean=%g, std=%g)" % (m, s), support=(m - 5.5 * s, m + 5.5 * s))],
           "normal.png", out, "normal: N(mean, std²)")

    # trunc_normal: absolute, asymmetric bounds
    m, s, a, b = 0.0, 1.0, -1.5, 2.5
    figure(plt, [dict(values=sample((n,), "trunc_normal", 3, mean=m, std=s, a=a, b=b),
                      pdf=lambda x: trunc_normal_pdf(x, m, s, a, b),
                      title="trunc_normal(mean=%g, std=%g, a=%g, b=%g)" % (m, s, a, b), support=(-2.5, 3.5),
                      extra=(lambda x: normal_pdf(x, m, s), "N(mean, std²) before truncation"))],
           "trunc_normal.png", out, "trunc_normal: N(mean, std²) restricted to [a, b]")

    # xavier_uniform and kaiming_normal
    xs = (1024, 1024)
    fi, fo = fans_oi(xs)
    bound = math.sqrt(6.0 / (fi + fo))
    ks = (512, 256, 3, 3)
    kfi, kfo = fans_oi(ks)
    kstd = math.sqrt(2.0) / math.sqrt(kfo)  # relu gain / sqrt(fan_out)
    figure(plt, [dict(values=sample(xs, "xavier_uniform", 4), pdf=lambda x: uniform_pdf(x, -bound, bound),
                      title="xavier_uniform %s" % (xs,), support=(-1.25 * bound, 1.25 * bound),
                      note="B = √(6/(fan_in+fan_out))\n  = %.4g" % bound),
                 dict(values=sample(ks, "kaiming_normal", 5, mode="fan_out", nonlinearity="relu"),
                      pdf=lambda x: normal_pdf(x, 0.0, kstd),
                      title="kaiming_normal %s\nmode=fan_out, relu" % (ks,), support=(-5 * kstd, 5 * kstd),
                      note="σ = √2/√fan_out\n  = %.4g" % kstd)],
           "xavier_kaiming.png", out, "PyTorch: xavier_uniform and kaiming_normal (untruncated)")

    # glorot_normal (Keras/JAX): truncated at ±2σ, σ = √var / 0.8796…, var = 2 / (fan_in + fan_out)
    gs = (1024, 1024)
    gfi, gfo = fans_oi(gs)
    var = 2.0 / (gfi + gfo)
    sigma = math.sqrt(var) / 0.87962566103423978
    figure(plt, [dict(values=sample(gs, "glorot_normal", 6), pdf=lambda x: trunc_normal_pdf(x, 0, sigma, -2 * sigma,
                                                                                           2 * sigma),
                      title="glorot_normal %s: N(0, σ²) cut at ±2σ" % (gs,), support=(-3 * sigma, 3 * sigma),
                      note="√var = %.4g\nσ = √var/0.8796\n  = %.4g" % (math.sqrt(var), sigma),
                      extra=(lambda x: normal_pdf(x, 0, math.sqrt(var)), "xavier_normal: N(0, var)"))],
           "glorot_normal.png", out, "Keras/JAX glorot_normal is truncated; PyTorch xavier_normal is not")

    # orthogonal: entries of a matrix with orthonormal rows (PyTorch orthogonal_): each row is uniform on the
    # unit sphere of R^cols. Small matrices (many streams) show the bounded, non-normal shape; wide ones
    # approach N(0, 1/cols).
    small, wide = (16, 16), (256, 1024)
    vs = np.concatenate([sample(small, "orthogonal", 1000 + i).ravel() for i in range(4096)])
    figure(plt, [dict(values=vs, pdf=lambda x: sphere_coordinate_pdf(x, small[1]),
                      title="orthogonal %s, 4096 streams" % (small,), support=(-1.0, 1.0),
                      note="n = %d" % small[1],
                      extra=(lambda x: normal_pdf(x, 0, 1 / math.sqrt(small[1])), "N(0, 1/n)")),
                 dict(values=sample(wide, "orthogonal", 7, gain=2.0),
                      pdf=lambda x: sphere_coordinate_pdf(x, wide[1], 2.0),
                      title="orthogonal %s, gain=2" % (wide,), support=(-0.3, 0.3),
                      note="n = %d" % wide[1])],
           "orthogonal.png", out, "orthogonal: entries ∝ (1 − (x/gain)²)^((n−3)/2), n = columns")

if __name__ == "__main__":
    main()
