#!/usr/bin/env python3
"""The messages of clinit and clinit-mpi, to the byte: every error is one line on stderr, "clinit: ...", naming
the flag, file or tensor at fault, with exit status 2 for a usage error. Standard library only.

usage: test_messages.py PATH/TO/clinit SOURCE_DIR [MPIEXEC PATH/TO/clinit-mpi]

Where a message's tail is another file's wording (a manifest's, an output file's), only the part these tests are
about is pinned (the escaped text, the flag, the single line), so that rewording it elsewhere breaks nothing here.
"""
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile

from checks import check, report  # next to this script, so on sys.path

CLINIT = os.path.abspath(sys.argv[1])
SOURCE_DIR = os.path.abspath(sys.argv[2])
MPIEXEC = sys.argv[3] if len(sys.argv) > 4 else None
CLINIT_MPI = os.path.abspath(sys.argv[4]) if len(sys.argv) > 4 else None


def run(*args, cwd=None, exe=None):
    p = subprocess.run([exe or CLINIT] + [str(a) for a in args], capture_output=True, text=True, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def exact(args, message, what, rc=2, cwd=None, exe=None):
    """ARGS exits rc with nothing on stdout and exactly `message` (one line) on stderr."""
    got_rc, out, err = run(*args, cwd=cwd, exe=exe)
    return check(got_rc == rc and out == "" and err == message + "\n", what,
                 "rc %d, stdout %r, stderr %r; wanted %r" % (got_rc, out, err, message))


def one_line(args, head, what, rc=2, cwd=None):
    """ARGS exits rc with one line on stderr that starts with head."""
    got_rc, _, err = run(*args, cwd=cwd)
    return check(got_rc == rc and err.startswith(head) and err.count("\n") == 1 and err.endswith("\n"), what,
                 "rc %d, stderr %r; wanted one line starting %r" % (got_rc, err, head))


def write_manifest(tmp, name, tensors):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        json.dump({"tensors": tensors}, f)
    return path


def test_one_line(tmp):
    # User text in a message is escaped: a newline in it must not split the error in two.
    exact(["sample", "nor\nmal", "--shape", "4", "--out", os.path.join(tmp, "x.npy")],
          'clinit: unknown initializer "nor\\nmal": did you mean normal?', "initializer with a newline: one line")
    exact(["sample", "--fo\nrce"], "clinit: sample: unknown option --fo\\nrce: did you mean --force? "
          "(see clinit sample --help)", "option with a newline: one line")
    one_line(["sample", "normal", "--shape", "4", "--out", "x\ny.txt"], "clinit: --out x\\ny.txt: ",
             "--out with a newline: one line", cwd=tmp)
    exact(["init", "--manifest", "nl\n.json", "--out", "m.safetensors"],
          "clinit: --manifest nl\\n.json: No such file or directory", "--manifest with a newline: one line", cwd=tmp)
    # \t and \r as backslash escapes, other control characters (ESC, which could drive the terminal, and DEL)
    # as \xNN; UTF-8 as it is.
    exact(["init", "--manifest", "a\tb\rc\x1bd\x7fé.json", "--out", "m.safetensors"],
          "clinit: --manifest a\\tb\\rc\\x1bd\\x7fé.json: No such file or directory",
          "tab, CR, ESC, DEL escaped; UTF-8 kept", cwd=tmp)
    # A manifest's tensor name too.
    bad = write_manifest(tmp, "nl.json", [{"name": "a\nb", "shape": [4], "init": "bogus"}])
    one_line(["init", "--manifest", bad, "--out", os.path.join(tmp, "m.safetensors")],
             'clinit: %s: tensors[0] "a\\nb": init: unknown initializer "bogus"' % bad,
             "manifest tensor name with a newline: one line")

    # No command: a usage error on stderr, not the overview on stdout.
    exact([], "clinit: no command given; clinit help lists the commands", "no arguments -> one-line usage error")
    exact(["--version", "extra"], 'clinit: --version takes no arguments: "extra"', "--version extra -> exit 2")


def test_progress_line(tmp):
    """On a terminal, init's progress line ("\\r[1/4] s0\\033[K", no newline) is cleared before an error, which
    would otherwise be glued to it."""
    # the first name holds a newline and an escape sequence (clear screen): shown as '?' on the progress line
    names = ["s\n0\x1b[2J", "s1", "s2", "s3"]
    manifest = write_manifest(tmp, "four.json", [{"name": n, "shape": [1024, 1024], "init": "normal"}
                                                 for n in names])
    out = os.path.join(tmp, "limited.safetensors")
    # A file-size limit fails the write after the first tensors (4 MiB each), while the progress line is up.
    limit = lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (6 << 20, resource.RLIM_INFINITY))
    master, slave = os.openpty()
    p = subprocess.run([CLINIT, "init", "--manifest", manifest, "--out", out], stdout=subprocess.DEVNULL,
                       stderr=slave, preexec_fn=limit)
    os.close(slave)
    data = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the child's side is closed
            break
        if not chunk:
            break
        data += chunk
    os.close(master)
    error = b"\r\x1b[Kclinit: writing %s: File too large\r\n" % out.encode()
    check(p.returncode == 1 and data.startswith(b"\r[1/4] ") and error in data,
          "on a terminal the error starts on a cleared line", "rc %d: %r" % (p.returncode, data))
    check(data.startswith(b"\r[1/4] s?0?[2J\x1b[K") and b"\x1b[2J" not in data,
          "control characters of a name are '?' on the progress line", repr(data))
    # Not on a terminal (a log, a pipe) nothing is cleared: every exact() here reads stderr through a pipe.


def test_missing_value(tmp):
    # An option's value is never the next option: the message names the option that lacks one.
    out = os.path.join(tmp, "p.npy")
    exact(["sample", "normal", "--shape", "--out", out],
          "clinit: sample: --shape needs a value, not the option --out (--shape=VALUE takes any text)",
          "--shape --out -> names --shape")
    exact(["sample", "normal", "--shape", "4", "--seed", "--out", out],
          "clinit: sample: --seed needs a value, not the option --out (--seed=VALUE takes any text)",
          "--seed --out -> names --seed")
    exact(["sample", "normal", "--shape", "4", "--out"], "clinit: sample: --out needs a value",
          "--out last -> names --out")
    exact(["init", "--manifest", "--out", "m.safetensors"],
          "clinit: init: --manifest needs a value, not the option --out (--manifest=VALUE takes any text)",
          "init --manifest --out -> names --manifest")
    exact(["bench", "--repeat", "--json"],
          "clinit: bench: --repeat needs a value, not the option --json (--repeat=VALUE takes any text)",
          "bench --repeat --json -> names --repeat")
    # A value that starts with -- is still given with "=", and a single dash is a value as before.
    named = os.path.join(tmp, "named.safetensors")
    rc, _, err = run("sample", "zeros", "--shape", "4", "--name=--x", "--out", named)
    check(rc == 0 and b'"--x"' in open(named, "rb").read(), "--name=--x is a name", "rc %d: %s" % (rc, err))
    exact(["sample", "normal", "--shape", "4", "--seed", "-1", "--out", out],
          'clinit: --seed "-1": not an unsigned 64-bit integer (decimal, or 0x and hex digits)',
          "--seed -1 is --seed's value, refused as a number")


def test_suggestions(tmp):
    # A name in other capitals is the name meant, before any as near by edits ("IO" is 2 edits from oi).
    exact(["sample", "normal", "--shape", "4,4", "--layout", "IO", "--out", os.path.join(tmp, "l.npy")],
          'clinit: --layout: unknown layout "IO": did you mean io?', "--layout IO -> io")
    exact(["sample", "normal", "--shape", "4,4", "--layout", "Oi", "--out", os.path.join(tmp, "l.npy")],
          'clinit: --layout: unknown layout "Oi": did you mean oi?', "--layout Oi -> oi")
    # The library's parameter names too (3 edits from std: no suggestion before).
    exact(["sample", "normal", "--shape", "4", "--param", "STD=2", "--out", os.path.join(tmp, "p.npy")],
          'clinit: --param STD: normal takes no parameter "STD": did you mean std?', "--param STD -> std")
    m = write_manifest(tmp, "layout.json", [{"name": "w", "shape": [4, 4], "init": "normal", "layout": "IO"}])
    exact(["init", "--manifest", m, "--out", os.path.join(tmp, "m.safetensors")],
          'clinit: %s: tensors[0] "w": layout: unknown layout "IO": did you mean io?' % m, "manifest layout IO -> io")

    # Commands: the nearest of every command the tool dispatches (inits too), for `clinit X` and `clinit help X`.
    exact(["sampel", "normal"], 'clinit: unknown command "sampel": did you mean sample?', "clinit sampel")
    exact(["help", "sampel"], 'clinit: unknown command "sampel": did you mean sample?', "clinit help sampel")
    exact(["inist"], 'clinit: unknown command "inist": did you mean init?', "clinit inist")
    exact(["help", "nope"], 'clinit: unknown command "nope": not one of devices, sample, init, bench, inits, help',
          "clinit help nope lists every command")
    exact(["frobnicate"], 'clinit: unknown command "frobnicate": not one of devices, sample, init, bench, inits, help',
          "clinit frobnicate lists every command")
    # A word that starts names, too far from each by edits: those it starts.
    exact(["sample", "xavier", "--shape", "4", "--out", os.path.join(tmp, "x.npy")],
          'clinit: unknown initializer "xavier": did you mean xavier_uniform or xavier_normal?', "sample xavier")
    exact(["inits", "kaiming"], 'clinit: inits: unknown initializer "kaiming": did you mean kaiming_uniform or '
          'kaiming_normal?', "inits kaiming")

    # --stream: a number gone wrong is refused, not taken as a tensor name; "" is neither.
    for stream in ("18446744073709551616", "-1", "0x", " 7", "0x1FFFFFFFFFFFFFFFF"):
        exact(["sample", "normal", "--shape", "4", "--stream", stream, "--out", os.path.join(tmp, "s.npy")],
              'clinit: --stream "%s": a number, but not an unsigned 64-bit integer (decimal, or 0x and hex digits; no '
              'sign, no blanks); any other text is a tensor name' % stream, "--stream %r refused" % stream)
    exact(["sample", "normal", "--shape", "4", "--stream", "", "--out", os.path.join(tmp, "s.npy")],
          'clinit: --stream "": empty: a stream (an unsigned 64-bit integer) or a tensor name', "--stream \"\" refused")


def test_first_things_first(tmp):
    # The initializer and its parameters' names before a missing --shape or --out: fixing them may change the rest.
    for args in (["sample", "xavier", "--shape", "4,4"], ["sample", "xavier"],
                 ["sample", "xavier", "--param", "gain=2"]):
        exact(args, 'clinit: unknown initializer "xavier": did you mean xavier_uniform or xavier_normal?',
              " ".join(args) + ": the initializer before --out")
    exact(["sample", "normal", "--param", "sdt=2"], 'clinit: --param sdt: normal takes no parameter "sdt": did you '
          "mean std?", "sample normal --param sdt=2: the parameter's name before --shape")
    # its values still wait for --shape and --out (they may depend on the shape: fans)
    exact(["sample", "normal", "--param", "std=-1"], "clinit: sample: missing --shape", "a value after --shape")
    exact(["sample", "normal", "--shape", "4"], "clinit: sample: missing --out", "then --out")
    # An empty manifest (nothing but blanks) says so, not "invalid JSON" at its first byte.
    empty = os.path.join(tmp, "empty.json")
    for text in ("", " \n\t\r\n"):
        with open(empty, "w") as f:
            f.write(text)
        exact(["init", "--manifest", empty, "--out", os.path.join(tmp, "e.safetensors")],
              "clinit: %s: empty manifest (no JSON)" % empty, "--manifest of %r" % text)
        p = subprocess.run([CLINIT, "init", "--manifest", "-", "--out", os.path.join(tmp, "e.safetensors")],
                           input=text, capture_output=True, text=True)
        check(p.returncode == 2 and p.stdout == "" and p.stderr == "clinit: (standard input): empty manifest (no "
              "JSON)\n", "--manifest - of %r" % text, p.stderr)
    check(not os.path.exists(os.path.join(tmp, "e.safetensors")), "nothing written for an empty manifest")
    # An integer dtype with a random initializer: the flag or field, not the C API's tensor.dtype.
    exact(["sample", "normal", "--shape", "4", "--dtype", "I32", "--out", os.path.join(tmp, "i.npy")],
          "clinit: --dtype i32 with normal: integer tensors take constant, zeros or ones only", "--dtype I32 normal")
    m = write_manifest(tmp, "int.json", [{"name": "w", "shape": [4], "init": "xavier_uniform", "dtype": "Int64"}])
    exact(["init", "--manifest", m, "--out", os.path.join(tmp, "i.safetensors")],
          'clinit: %s: tensors[0] "w": dtype: i64 with xavier_uniform: integer tensors take constant, zeros or ones '
          "only" % m, "manifest Int64 xavier_uniform")
    # Dtype names in any ASCII case; an unknown one still gets the nearest.
    exact(["sample", "normal", "--shape", "4", "--dtype", "BFLOAT", "--out", os.path.join(tmp, "b.safetensors")],
          'clinit: --dtype: unknown dtype "BFLOAT": did you mean bfloat16?', "--dtype BFLOAT -> bfloat16")


def test_small_messages(tmp):
    # A shape of 2^56 or more elements names the extents that reach it, with their values.
    exact(["sample", "normal", "--shape", "9223372036854775807,2", "--out", os.path.join(tmp, "s.npy")],
          "clinit: --shape: tensor shape has 2^56 or more elements: shape[0] = 9223372036854775807 alone",
          "--shape 2^63-1,2: shape[0] alone")
    exact(["sample", "normal", "--shape", "100000000000,100000000", "--out", os.path.join(tmp, "s.npy")],
          "clinit: --shape: tensor shape has 2^56 or more elements: shape[0] * shape[1] = 100000000000 * 100000000",
          "--shape 1e11,1e8: their product")
    exact(["sample", "normal", "--shape", "1048576,1048576,65536", "--out", os.path.join(tmp, "s.npy")],
          "clinit: --shape: tensor shape has 2^56 or more elements: shape[0] * ... * shape[2] = 1099511627776 * 65536",
          "--shape 2^20,2^20,2^16: the product so far and the extent")
    # A regular file followed by /: not a folder, for sample and init, a file or Hugging Face's folder.
    plain = os.path.join(tmp, "plain")
    open(plain, "w").close()
    m = write_manifest(tmp, "ones.json", [{"name": "w", "shape": [3], "init": "ones"}])
    for args, out in ((["sample", "normal", "--shape", "4"], plain + "/"),
                      (["sample", "normal", "--shape", "4"], plain + "/w.npy"),
                      (["init", "--manifest", m], plain + "/"),
                      (["init", "--manifest", m], plain + "/m.safetensors")):
        exact(args + ["--out", out], "clinit: --out %s: %s is not a folder" % (out, plain),
              "%s --out %s: not a folder" % (args[0], out))
    check(os.path.getsize(plain) == 0 and os.path.isfile(plain), "the file before / is left as it was")
    # --manifest "" is an empty name, as --out ""; --manifest - reads standard input, with the same limit.
    exact(["init", "--manifest", "", "--out", os.path.join(tmp, "m.safetensors")], "clinit: --manifest: empty file name",
          "--manifest \"\"")
    text = json.dumps({"tensors": [{"name": "w", "shape": [3], "init": "ones"}]})
    out = os.path.join(tmp, "stdin.safetensors")
    p = subprocess.run([CLINIT, "init", "--manifest", "-", "--out", out], input=text, capture_output=True, text=True)
    from_file = os.path.join(tmp, "file.safetensors")
    q = subprocess.run([CLINIT, "init", "--manifest", m, "--out", from_file], capture_output=True, text=True)
    check(p.returncode == 0 and q.returncode == 0 and open(out, "rb").read() == open(from_file, "rb").read(),
          "--manifest -: the file of the same manifest read from a file", p.stderr + q.stderr)
    p = subprocess.run([CLINIT, "init", "--manifest", "-", "--out", os.path.join(tmp, "bad.safetensors")],
                       input=text.replace('"ones"', '"onez"'), capture_output=True, text=True)
    check(p.returncode == 2 and p.stderr == 'clinit: (standard input): tensors[0] "w": init: unknown initializer '
          '"onez": did you mean ones?\n', "--manifest -: messages name standard input", p.stderr)
    p = subprocess.run([CLINIT, "init", "--manifest", "-", "--manifest-limit", "10", "--out",
                        os.path.join(tmp, "big.safetensors")], input=text, capture_output=True, text=True)
    check(p.returncode == 2 and p.stderr == "clinit: --manifest -: more than 10 bytes, the limit on a manifest "
          "(--manifest-limit BYTES raises it)\n", "--manifest - over --manifest-limit", p.stderr)
    check(not os.path.exists(os.path.join(tmp, "bad.safetensors")) and not os.path.exists(
          os.path.join(tmp, "big.safetensors")), "nothing written after a refused manifest on standard input")


def test_box(tmp):
    # strtoll clamps to 2^63 - 1: a box start or extent above it is refused as written, not as the clamped number.
    out = os.path.join(tmp, "b.npy")
    for box, dim, what, number in (("18446744073709551615:2,0:4", 0, "start", "18446744073709551615"),
                                   ("9223372036854775808:1,0:4", 0, "start", "9223372036854775808"),
                                   ("1:18446744073709551615,0:4", 0, "extent", "18446744073709551615"),
                                   ("0:2,99999999999999999999999:4", 1, "start", "99999999999999999999999")):
        exact(["sample", "normal", "--shape", "4,4", "--box", box, "--out", out],
              'clinit: --box "%s": dimension %d: %s %s is above 2^63 - 1' % (box, dim, what, number),
              "--box %s -> the %s as given" % (box, what))


def test_box_half_open(tmp):
    # Half-open on both sides: [9, 11) against [0, 10) shows the one element too many; a start past the end too.
    out = os.path.join(tmp, "h.npy")
    exact(["sample", "normal", "--shape", "10,10", "--box", "9:2,0:10", "--out", out],
          'clinit: --box "9:2,0:10": dimension 0: [9, 11) (start 9, extent 2) leaves the dimension\'s [0, 10)',
          "--box past the end: half-open bounds")
    exact(["sample", "normal", "--shape", "10,10", "--box", "0:10,11:0", "--out", out],
          'clinit: --box "0:10,11:0": dimension 1: start 11 is past the end of [0, 10)', "--box start past the end")
    # With a box, the summary shows the box's shape and bounds, then the whole tensor's shape.
    rc, so, err = run("sample", "normal", "--shape", "10,10", "--box", "2:3,0:10", "--out", out)
    check(rc == 0 and so.startswith("normal shape (3, 10): box [2, 5) x [0, 10) of (10, 10) f32 n=30 mean "),
          "--box summary: the box, not the whole shape", so + err)


def test_param_named(tmp):
    # A range check names the --param (or the manifest key) that set the value.
    exact(["sample", "normal", "--shape", "4", "--param", "std=-1", "--out", os.path.join(tmp, "s.npy")],
          "clinit: --param std: normal: std = -1 must be finite and >= 0", "--param std=-1 names std")
    exact(["sample", "kaiming_normal", "--shape", "4,4", "--param", "a=inf", "--out", os.path.join(tmp, "s.npy")],
          "clinit: --param a: kaiming_normal: a = inf must be finite", "--param a=inf names a")
    m = write_manifest(tmp, "std.json", [{"name": "w", "shape": [4], "init": "normal", "params": {"std": -1}}])
    exact(["init", "--manifest", m, "--out", os.path.join(tmp, "m.safetensors")],
          'clinit: %s: tensors[0] "w": params.std: normal: std = -1 must be finite and >= 0' % m,
          "manifest params.std = -1 names params.std")


def test_cache_dir_one_line(tmp):
    # A kernel cache folder PoCL cannot use: one line, the library's build log flattened, no escaped newline.
    cache = os.path.join(tmp, "not-a-folder")
    open(cache, "w").close()
    p = subprocess.run([CLINIT, "sample", "normal", "--shape", "4", "--out", os.path.join(tmp, "c.npy")],
                       capture_output=True, text=True, env=dict(os.environ, POCL_CACHE_DIR=cache))
    check(p.returncode == 1 and p.stderr.count("\n") == 1 and "\\n" not in p.stderr and
          p.stderr.startswith("clinit: creating the OpenCL context: ") and
          p.stderr.endswith(' (POCL_CACHE_DIR="%s" is not a writable folder: PoCL keeps the compiled kernels there, '
                            'and reports one it cannot write as a failed build or as no device)\n' % cache),
          "POCL_CACHE_DIR a file: one line, no literal \\n", "rc %d: %r" % (p.returncode, p.stderr))
    # The folder PoCL takes when POCL_CACHE_DIR is unset, and a POCL_CACHE_DIR that does not exist and cannot be
    # made (a file on its way; as a user who may not write in /, /nonexist/x): named alike, with what set it.
    why = "PoCL keeps the compiled kernels there, and reports one it cannot write as a failed build or as no device"
    env = {k: v for k, v in os.environ.items() if k not in ("POCL_CACHE_DIR", "XDG_CACHE_HOME", "HOME")}
    cases = [(dict(env, POCL_CACHE_DIR=os.path.join(cache, "a", "b")),
              '(POCL_CACHE_DIR="%s/a/b" is not a writable folder: %s)' % (cache, why), "under a file"),
             (dict(env, HOME=cache), "(PoCL's kernel cache folder \"%s/.cache/pocl\" (POCL_CACHE_DIR unset: "
              "$HOME/.cache/pocl) is not a writable folder: %s; set POCL_CACHE_DIR to a writable folder)" % (cache, why),
              "HOME a file"),
             (dict(env, HOME=tmp, XDG_CACHE_HOME=cache), "(PoCL's kernel cache folder \"%s/pocl\" (POCL_CACHE_DIR "
              "unset: $XDG_CACHE_HOME/pocl) is not a writable folder: %s; set POCL_CACHE_DIR to a writable folder)"
              % (cache, why), "XDG_CACHE_HOME a file")]
    for environment, tail, what in cases:
        p = subprocess.run([CLINIT, "sample", "normal", "--shape", "4", "--out", os.path.join(tmp, "c.npy")],
                           capture_output=True, text=True, env=environment)
        check(p.returncode == 1 and p.stderr.count("\n") == 1 and
              p.stderr.startswith("clinit: creating the OpenCL context: ") and p.stderr.endswith(" " + tail + "\n")
              and not os.path.exists(os.path.join(tmp, "c.npy")),
              "kernel cache folder: %s: named" % what, "rc %d: %r" % (p.returncode, p.stderr))
    # /nonexist/x, which only root could make: run as nobody where the tests run as root (setpriv), else as is.
    command = [CLINIT, "sample", "normal", "--shape", "4", "--out", "/dev/null"]
    if os.geteuid() == 0:
        command = (["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + command
                   if shutil.which("setpriv") else None)
    if command is None:
        print("skip: POCL_CACHE_DIR=/nonexist/x: running as root without setpriv")
        return
    p = subprocess.run(command, capture_output=True, text=True, env=dict(env, POCL_CACHE_DIR="/nonexist/x"))
    if p.returncode == 126 or "Permission denied" in p.stderr:
        print("skip: POCL_CACHE_DIR=/nonexist/x: nobody cannot run %s" % CLINIT)
        return
    check(p.returncode == 1 and p.stderr.startswith("clinit: creating the OpenCL context: ") and
          p.stderr.endswith(' (POCL_CACHE_DIR="/nonexist/x" is not a writable folder: %s)\n' % why),
          "POCL_CACHE_DIR=/nonexist/x (cannot be made): named", "rc %d: %r" % (p.returncode, p.stderr))


def test_locale(tmp):
    """A decimal-comma locale in the environment changes nothing: the tool reads and writes numbers as C does
    (it never calls setlocale), so its files, summaries and messages are those of the "C" locale."""
    manifest = os.path.join(tmp, "locale.json")
    with open(manifest, "w") as f:
        json.dump({"tensors": [{"name": "w", "shape": [6, 5], "init": "trunc_normal",
                                "params": {"std": 0.02, "a": -0.5, "b": 0.5}}]}, f)
    runs = [["sample", "uniform", "--shape", "5,3", "--param", "a=-0.25", "--param", "b=0.75", "--hist"],
            ["sample", "normal", "--shape", "4", "--param", "std=-0.5"],
            ["init", "--manifest", manifest]]
    for k, args in enumerate(runs):
        got = []
        for env in ({"LC_ALL": "C"}, {"LC_ALL": "de_DE.UTF-8", "LANG": "de_DE.UTF-8"}):
            out = os.path.join(tmp, "locale%d-%s%s" % (k, env["LC_ALL"], ".safetensors" if k == 2 else ".npy"))
            p = subprocess.run([CLINIT] + args + ["--out", out], capture_output=True, text=True,
                               env=dict(os.environ, **env))
            data = open(out, "rb").read() if os.path.exists(out) else None
            timed = re.sub(r"device time [0-9.]+ ms, [0-9.]+ GB/s", "device time T ms, R GB/s", p.stdout)
            got.append((p.returncode, timed.replace(out, "OUT"), p.stderr, data))
        check(got[0] == got[1] and "," not in got[0][1].replace(", ", "") + got[0][2].replace(", ", ""),
              "%s under LC_ALL=de_DE.UTF-8: the C locale's output, bytes and messages" % " ".join(args[:2]),
              "%r vs %r" % (got[0][:3], got[1][:3]))


def test_mpi(tmp):
    launch = [MPIEXEC, "-np", "1"]
    version = subprocess.run([MPIEXEC, "--version"], capture_output=True, text=True)
    if "Open MPI" in version.stdout + version.stderr or "OpenRTE" in version.stdout + version.stderr:
        launch[1:1] = ["--oversubscribe", "--allow-run-as-root"]

    def mpi(args, message, what):
        p = subprocess.run(launch + [CLINIT_MPI] + args, capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, OMPI_MCA_btl_vader_single_copy_mechanism="none"))
        mine = [line for line in p.stderr.splitlines() if line.startswith("clinit")]  # mpiexec adds its own
        check(p.returncode == 2 and p.stdout == "" and mine == [message], what,
              "rc %d, stdout %r, stderr %r" % (p.returncode, p.stdout, p.stderr))

    mpi([], "clinit-mpi: no command given; clinit-mpi help lists the commands", "clinit-mpi without arguments")
    mpi(["inti"], 'clinit-mpi: unknown command "inti": did you mean init?', "clinit-mpi inti")
    mpi(["init", "--manifest", "-", "--out-dir", os.path.join(tmp, "d")], "clinit-mpi: --manifest -: every rank reads "
        "the manifest, and only one rank has standard input: give a file", "clinit-mpi --manifest -")
    mpi(["help", "sample"], 'clinit-mpi: unknown command "sample": not one of init, help', "clinit-mpi help sample")
    mpi(["--version", "extra"], 'clinit-mpi: --version takes no arguments: "extra"', "clinit-mpi --version extra")
    mpi(["init", "--manifest", "m.json", "--out-dir", "d", "--bogus"],
        "clinit-mpi: init: unknown option --bogus: not one of --manifest, --manifest-limit, --seed, --generation, "
        "--out-dir, --out, --max-shard-size, --force, --verify (see clinit-mpi init --help)", "clinit-mpi's own --help named")
    # --out DIR/ (Hugging Face's folder) against --out-dir (rank files): every misuse named before the manifest
    # is read (m.json does not exist)
    mpi(["init", "--manifest", "m.json"], "clinit-mpi: init: missing --out DIR/ (Hugging Face's folder) or --out-dir "
        "DIR (one file per rank)", "clinit-mpi init without an output")
    mpi(["init", "--manifest", "m.json", "--out", "d/", "--out-dir", "d"], "clinit-mpi: init: --out and --out-dir "
        "exclude each other (--out DIR/: Hugging Face's folder; --out-dir DIR: one file per rank)", "--out and --out-dir")
    missing = os.path.join(tmp, "no-such-folder")
    mpi(["init", "--manifest", "m.json", "--out", missing], "clinit-mpi: --out %s: clinit-mpi writes a folder: end "
        "its name with / (DIR/, Hugging Face's layout) or name an existing folder; --out-dir DIR writes one file per "
        "rank" % missing, "--out without / names no folder")
    mpi(["init", "--manifest", "m.json", "--out-dir", "d", "--max-shard-size", "5GB"], "clinit-mpi: --max-shard-size: "
        "only with --out DIR/ (Hugging Face's sharded layout); --out-dir writes one file per rank",
        "--max-shard-size with --out-dir")
    mpi(["init", "--manifest", "m.json", "--out", "d/", "--max-shard-size", "5XB"], 'clinit-mpi: --max-shard-size '
        '"5XB": not a size: bytes ("5000000000") or a number with KB, MB, GB or TB (powers of 1000, as transformers\' '
        'max_shard_size: "50GB", "1.5GB"), at least 1 byte', "clinit-mpi --max-shard-size 5XB")
    mpi(["init", "--manifest", "m.json", "--out", "d/", "--verify"], "clinit-mpi: --verify: only with --out-dir (the "
        "rank files); --out DIR/ writes the very files of `clinit init --out DIR/`: compare them with cmp", "--verify with --out")
    mpi(["init", "--manifest", "--out-dir", "d"],
        "clinit-mpi: init: --manifest needs a value, not the option --out-dir (--manifest=VALUE takes any text)",
        "clinit-mpi --manifest --out-dir")


def sanitized(binary):
    with open(binary, "rb") as f:
        return b"__asan_init" in f.read()


def main():
    with tempfile.TemporaryDirectory() as tmp:
        test_one_line(tmp)
        test_progress_line(tmp)
        test_missing_value(tmp)
        test_suggestions(tmp)
        test_box(tmp)
        test_locale(tmp)
        test_box_half_open(tmp)
        test_param_named(tmp)
        test_cache_dir_one_line(tmp)
        test_small_messages(tmp)
        test_first_things_first(tmp)
        if not CLINIT_MPI:
            print("skip: clinit-mpi not built")
        elif sanitized(CLINIT_MPI):
            # Open MPI's runtime keeps allocations until exit that LeakSanitizer reports, as scripts/sanitize.sh
            # says of the mpi_ tests it leaves out: its messages are checked in the plain build.
            print("skip: clinit-mpi built with AddressSanitizer")
        else:
            test_mpi(tmp)
    return report()


if __name__ == "__main__":
    sys.exit(main())
