#!/usr/bin/python3
"""Make, check and re-evaluate Wignerscope's example of real trained weights.

A small multilayer perceptron 64 -> 128 -> 256 -> 10 (relu, adam) is trained with scikit-learn
on its bundled digits data set (no download) and written to resources/weights/:

  digits_mlp_hidden.npy         layer2.weight, the 256 x 128 hidden-to-hidden matrix (float32)
  digits_mlp.safetensors        every layer, weights and biases (F32), written by hand

Weights are stored as PyTorch does, (out_features, in_features): hidden = relu(x W^T + b).
The app needs no Python; this script only makes the files and measures accuracy.

  make_example_weights.py                       train and write the files (default)
  make_example_weights.py --evaluate P.npy [--layer layer2.weight]
                                                test accuracy with P in place of that layer
  make_example_weights.py --evaluate-model P.safetensors
                                                test accuracy of a whole pruned model (e.g.
                                                wignerscope-cli weights ... --all --prune auto)
  make_example_weights.py --sweep               test accuracy of best rank-k approximations
  make_example_weights.py --spectrum            singular values vs the fitted MP edge

Run it with Debian's interpreter (/usr/bin/python3; python3-sklearn, -numpy, -scipy). BLAS is
pinned to one thread before numpy loads so the same seed gives byte-identical files.
"""

import os

# Must precede the numpy import: multi-threaded BLAS sums in a different order.
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"
os.environ["MKL_NUM_THREADS"] = "1"

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import struct  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import warnings  # noqa: E402

try:
    import numpy as np
    import scipy
    import sklearn
    from scipy import integrate, optimize
    from sklearn.datasets import load_digits
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
except ImportError as e:
    sys.exit(
        f"error: {e}; run with Debian's /usr/bin/python3 after "
        "'apt-get install python3-sklearn python3-scipy python3-numpy'"
    )

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DIR = os.path.join(REPO, "resources", "weights")
HIDDEN_NPY = "digits_mlp_hidden.npy"
SAFETENSORS = "digits_mlp.safetensors"
HIDDEN_LAYER = "layer2.weight"

SPLIT_SEED = 0  # numpy's legacy RandomState: its stream is frozen across numpy versions
TEST_SIZE = 450  # of 1797 images; the rest (1347) train
TRAIN_SEED = 0
HIDDEN = (128, 256)
MLP_SETTINGS = dict(
    hidden_layer_sizes=HIDDEN,
    activation="relu",
    solver="adam",
    alpha=0.0,
    batch_size=200,
    learning_rate_init=1e-3,
    max_iter=200,
    tol=1e-4,
    n_iter_no_change=10,
    shuffle=True,
)
SWEEP_RANKS = (1, 2, 4, 8, 16, 32)
TW1_Q99 = 2.0234  # 99th percentile of the Tracy-Widom (beta = 1) law


def fail(msg):
    print(f"error: {msg}", file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------- data


def digits_split():
    """Fixed split: a seeded permutation, first TEST_SIZE indices are the test set."""
    d = load_digits()
    x = d.data.astype(np.float64) / 16.0  # pixels are 0..16
    y = d.target.astype(np.int64)
    perm = np.random.RandomState(SPLIT_SEED).permutation(len(y))
    test, train = np.sort(perm[:TEST_SIZE]), np.sort(perm[TEST_SIZE:])
    return x[train], y[train], x[test], y[test], test


def indices_digest(idx):
    return hashlib.sha256(np.ascontiguousarray(idx, dtype="<i8").tobytes()).hexdigest()


# ---------------------------------------------------------------- model


def layer_names(n_layers):
    return [f"layer{i + 1}" for i in range(n_layers)]


def train(seed):
    xtr, ytr, xte, yte, test_idx = digits_split()
    clf = MLPClassifier(random_state=seed, **MLP_SETTINGS)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        clf.fit(xtr, ytr)
    for w in caught:
        print(f"warning: {w.message}", file=sys.stderr)
    tensors = {}
    for name, w, b in zip(layer_names(len(clf.coefs_)), clf.coefs_, clf.intercepts_):
        # sklearn keeps (in, out); store (out, in) like PyTorch checkpoints.
        tensors[name + ".weight"] = np.ascontiguousarray(w.T, dtype="<f4")
        tensors[name + ".bias"] = np.ascontiguousarray(b, dtype="<f4")
    info = dict(
        n_iter=clf.n_iter_,
        final_loss=clf.loss_,
        train_acc_f64=clf.score(xtr, ytr),
        test_acc_f64=clf.score(xte, yte),
        test_idx=test_idx,
    )
    return tensors, info


def forward(tensors, x):
    """Class scores of the stored float32 network, evaluated in float64."""
    n = sum(1 for k in tensors if k.endswith(".weight"))
    h = x
    for i, name in enumerate(layer_names(n)):
        w = tensors[name + ".weight"].astype(np.float64)
        b = tensors[name + ".bias"].astype(np.float64)
        h = h @ w.T + b
        if i < n - 1:
            h = np.maximum(h, 0.0)
    return h  # softmax is monotone: argmax of the scores is the prediction


def accuracy(tensors, x, y):
    pred = np.argmax(forward(tensors, x), axis=1)
    return float(np.mean(pred == y)), int(np.sum(pred == y))


# ---------------------------------------------------------------- safetensors by hand


def metadata(seed, info):
    m = {f"mlp.{k}": str(v) for k, v in MLP_SETTINGS.items()}
    m.update(
        {
            "format": "pt",
            "description": "MLP on scikit-learn digits, made by scripts/make_example_weights.py",
            "layout": "weight is (out_features, in_features); h = relu(x W^T + b), last layer "
            "linear, prediction = argmax",
            "input": "load_digits().data / 16 (64 pixels in [0, 1])",
            "data_set": "sklearn.datasets.load_digits (1797 images 8x8, 10 classes)",
            "split": f"numpy.random.RandomState({SPLIT_SEED}).permutation(1797); "
            f"first {TEST_SIZE} = test, rest = train",
            "test_indices_sha256": indices_digest(info["test_idx"]),
            "random_state": str(seed),
            "n_iter": str(info["n_iter"]),
            "test_accuracy_f32": f"{info['test_acc_f32']:.6f}",
            "versions": f"python {sys.version.split()[0]}, numpy {np.__version__}, "
            f"scipy {scipy.__version__}, scikit-learn {sklearn.__version__}",
        }
    )
    return m


def safetensors_bytes(tensors, meta):
    header = {"__metadata__": meta}
    offset = 0
    blobs = []
    for name, arr in tensors.items():  # insertion order = layer order
        data = np.ascontiguousarray(arr, dtype="<f4").tobytes()
        header[name] = {
            "dtype": "F32",
            "shape": list(arr.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # the format allows trailing spaces; keeps data 8-aligned
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def read_safetensors(path):
    """Reads back what safetensors_bytes writes (F32 only), with checks."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        fail(f"{path}: cannot read ({e.strerror})")
    if len(raw) < 8:
        fail(f"{path}: too short for a safetensors header")
    (n,) = struct.unpack("<Q", raw[:8])
    if n > len(raw) - 8:
        fail(f"{path}: header length {n} exceeds the file")
    try:
        header = json.loads(raw[8 : 8 + n])
    except ValueError as e:
        fail(f"{path}: header is not JSON ({e})")
    data = raw[8 + n :]
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, h in header.items():
        if h.get("dtype") != "F32":
            fail(f"{path}: tensor {name} has dtype {h.get('dtype')}, this script reads F32")
        a, b = h["data_offsets"]
        shape = tuple(h["shape"])
        if not (0 <= a <= b <= len(data)) or b - a != 4 * int(np.prod(shape)):
            fail(f"{path}: tensor {name} has inconsistent offsets/shape")
        tensors[name] = np.frombuffer(data[a:b], dtype="<f4").reshape(shape)
    return tensors, meta


# ---------------------------------------------------------------- files


def write_atomically(path, data):
    d = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(dir=d, prefix="." + os.path.basename(path) + ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def npy_bytes(arr):
    import io

    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(arr, dtype="<f4"), allow_pickle=False)
    return buf.getvalue()


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def load_model(out_dir):
    path = os.path.join(out_dir, SAFETENSORS)
    if not os.path.exists(path):
        fail(f"{path}: missing; run this script without options first to train and write it")
    tensors, meta = read_safetensors(path)
    xtr, ytr, xte, yte, test_idx = digits_split()
    if meta.get("test_indices_sha256") != indices_digest(test_idx):
        fail(
            f"{path}: the test split recorded in the file differs from the one this "
            "scikit-learn/numpy gives; accuracy would not be comparable"
        )
    return tensors, meta, (xtr, ytr, xte, yte)


# ---------------------------------------------------------------- spectrum


def mp_cdf(t, c):
    """CDF of Marchenko-Pastur with ratio c <= 1 and unit variance: the law of the
    eigenvalues of (1/N) X^T X, X N x M, c = M/N; support [(1-sqrt c)^2, (1+sqrt c)^2]."""
    a, b = (1 - np.sqrt(c)) ** 2, (1 + np.sqrt(c)) ** 2
    if t <= a:
        return 0.0
    if t >= b:
        return 1.0

    # x = a + (b-a) u^2 removes the square-root (and, at c = 1, the 1/sqrt x) singularity.
    def g(u):
        x = a + (b - a) * u * u
        return np.sqrt(max(b - x, 0.0)) * np.sqrt(b - a) * u * 2 * (b - a) * u / (2 * np.pi * c * x)

    return integrate.quad(g, 0.0, np.sqrt((t - a) / (b - a)), limit=200)[0]


def mp_quantile(q, c):
    a, b = (1 - np.sqrt(c)) ** 2, (1 + np.sqrt(c)) ** 2
    return optimize.brentq(lambda t: mp_cdf(t, c) - q, a, b, xtol=1e-13)


def fit_spectrum(w):
    """Fits sigma in W = (sigma/sqrt(N)) X + S (W is N x M, c = M/N) from the bulk.

    The noise's squared singular values follow sigma^2 MP(c) for c <= 1 (for c > 1 the
    min(N, M) non-zero ones follow sigma^2 c MP(1/c)); the upper edge of the singular values
    is sigma (1 + sqrt c). Fit: sigma^2 = median of the squared singular values not above the
    edge / the matching quantile of the same MP law (see below); repeat until the number k above
    the edge stops changing. A median ignores a few outliers; dropping them removes their pull.
    """
    n, m = w.shape
    c = m / n
    s = np.linalg.svd(w.astype(np.float64), compute_uv=False)  # descending, min(N, M) values
    cc, scale = (c, 1.0) if c <= 1 else (1.0 / c, c)
    k = 0
    for _ in range(50):
        bulk = s[k:] ** 2
        # A rank-k signal pushes the bulk up a little (Weyl: s_(i+k)(noise) <= s_i(W)), so
        # the median of the remaining values is matched to MP's quantile 1/2 - k/(4 min(N,M)).
        # On synthetic noise + rank 0, 5 or 12 (256 x 128, 128 x 256, 200 x 200; 30 draws
        # each) the mean fitted sigma was within 1% of the truth (sd <= 1%); quantile 1/2 was
        # 1.5-4% low with the rank-5/12 signal, 1/2 - k/(2 min) 1.5% high.
        q = 0.5 - k / (4.0 * len(s))
        sigma = np.sqrt(np.median(bulk) / (scale * mp_quantile(q, cc)))
        edge = sigma * (1 + np.sqrt(c))
        k_new = int(np.sum(s > edge))
        if k_new == k:
            break
        k = k_new
    # Tracy-Widom scale of the largest noise eigenvalue of W^T W (Johnstone 2001,
    # real case): sigma^2 N^(-2/3) (1 + sqrt c)^(4/3) c^(-1/6); in singular values divide
    # by 2 * edge.
    tw_lambda = sigma**2 * n ** (-2.0 / 3.0) * (1 + np.sqrt(c)) ** (4.0 / 3.0) * c ** (-1.0 / 6.0)
    tw_s = tw_lambda / (2 * edge)
    lower = sigma * abs(1 - np.sqrt(c))
    # Kolmogorov distance of the bulk to the fitted MP law (the bulk as the lowest values).
    bulk = np.sort(s[k:] ** 2) / (sigma**2 * scale)
    emp = (np.arange(len(bulk)) + 0.5) / len(bulk)
    ks = max(abs(mp_cdf(t, cc) - e) for t, e in zip(bulk, emp))
    return dict(
        s=s,
        n=n,
        m=m,
        c=c,
        sigma=sigma,
        entry_std=sigma / np.sqrt(n),
        edge=edge,
        lower_edge=lower,
        above=k,
        tw_s=tw_s,
        above_tw99=int(np.sum(s > edge + TW1_Q99 * tw_s)),
        ks=ks,
    )


def print_spectrum(name, f, top=None):
    s = f["s"]
    print(
        f"{name}: {f['n']} x {f['m']}, c = M/N = {f['c']:.4g}; fitted sigma = {f['sigma']:.4f} "
        f"(entry std {f['entry_std']:.5f}); MP edges [{f['lower_edge']:.4f}, {f['edge']:.4f}]"
    )
    print(
        f"  above the edge: {f['above']}; above edge + {TW1_Q99} TW scale "
        f"({TW1_Q99 * f['tw_s']:.4f}): {f['above_tw99']}; "
        f"bulk vs MP Kolmogorov distance {f['ks']:.3f} ({len(s) - f['above']} values)"
    )
    k = f["above"]
    top = k + 3 if top is None else top
    print("  largest:", " ".join(f"{v:.3f}" for v in s[:top]), f"| smallest: {s[-1]:.3f}")


# ---------------------------------------------------------------- commands


def cmd_train(args):
    out_dir = args.out_dir
    os.makedirs(out_dir, exist_ok=True)
    tensors, info = train(args.seed)
    _, _, xte, yte, _ = digits_split()
    info["test_acc_f32"], correct = accuracy(tensors, xte, yte)
    st = safetensors_bytes(tensors, metadata(args.seed, info))
    write_atomically(os.path.join(out_dir, SAFETENSORS), st)
    write_atomically(os.path.join(out_dir, HIDDEN_NPY), npy_bytes(tensors[HIDDEN_LAYER]))
    print(f"trained {HIDDEN} seed {args.seed}: {info['n_iter']} epochs,")
    print(
        f"  final loss {info['final_loss']:.5f}, train acc {info['train_acc_f64']:.4f}, "
        f"test acc {info['test_acc_f64']:.4f} (float64, sklearn)"
    )
    print(
        f"  test acc of the stored float32 weights: {info['test_acc_f32']:.4f} "
        f"({correct}/{len(yte)})"
    )
    for fn in (HIDDEN_NPY, SAFETENSORS):
        p = os.path.join(out_dir, fn)
        print(f"wrote {p} ({os.path.getsize(p)} bytes) sha256 {sha256(p)}")
    for name, arr in tensors.items():
        print(f"  {name}: {list(arr.shape)}")
    print_spectrum(HIDDEN_LAYER, fit_spectrum(tensors[HIDDEN_LAYER]))


def initial_weights(seed, tensors):
    """The network's weights before training, (out, in) layout: sklearn's MLP draws, per layer,
    coef ~ U(-b, b) (fan_in x fan_out) then intercept ~ U(-b, b), b = sqrt(6 / (fan_in +
    fan_out)) for relu, from RandomState(seed) (sklearn 1.2 _init_coef; re-done here because
    that function is private)."""
    rng = np.random.RandomState(seed)
    out = {}
    n = sum(1 for k in tensors if k.endswith(".weight"))
    for name in layer_names(n):
        fan_out, fan_in = tensors[name + ".weight"].shape
        b = np.sqrt(6.0 / (fan_in + fan_out))
        out[name + ".weight"] = rng.uniform(-b, b, (fan_in, fan_out)).T
        rng.uniform(-b, b, fan_out)  # the intercept's draw, to stay in step
    return out


def cmd_spectrum(args):
    tensors, meta, _ = load_model(args.out_dir)
    init = initial_weights(int(meta.get("random_state", TRAIN_SEED)), tensors)
    for name, arr in tensors.items():
        if arr.ndim == 2 and min(arr.shape) >= 32:  # too few values for a bulk otherwise
            f = fit_spectrum(arr)
            print_spectrum(name, f)
            # If the bulk is the untouched random start, W - W_init is the learned signal
            # and should be low rank.
            w0 = init[name]
            d = np.linalg.svd(arr.astype(np.float64) - w0, compute_uv=False)
            e = np.cumsum(d**2) / np.sum(d**2)
            k = f["above"]
            print(
                f"  initial weights: entry std {w0.std():.5f} "
                f"(sigma {w0.std() * np.sqrt(arr.shape[0]):.4f}); "
                f"||W - W_init|| / ||W_init|| = {np.linalg.norm(arr - w0) / np.linalg.norm(w0):.3f}"
            )
            print(
                "  W - W_init energy in its top k singular values: "
                + ", ".join(f"k={j}: {e[j - 1]:.3f}" for j in sorted({1, 5, 10, k, 20}))
            )
            print("  W - W_init largest singular values:", " ".join(f"{v:.3f}" for v in d[: k + 3]))


def cmd_evaluate(args):
    tensors, _, (_, _, xte, yte) = load_model(args.out_dir)
    layer = args.layer
    if layer not in tensors or not layer.endswith(".weight"):
        names = ", ".join(k for k in tensors if k.endswith(".weight"))
        fail(f"--layer: '{layer}' is not a weight matrix of the model (choose one of {names})")
    ref = tensors[layer]
    path = args.evaluate
    try:
        p = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except (OSError, ValueError, EOFError) as e:
        fail(f"{path}: not a readable .npy array ({e})")
    if not isinstance(p, np.ndarray):
        fail(f"{path}: an .npz archive, expected a single .npy array")
    if p.dtype.kind != "f":
        fail(f"{path}: dtype {p.dtype}, expected float32 or float64")
    if p.ndim != 2 or p.shape != ref.shape:
        fail(
            f"{path}: shape {p.shape}, but {layer} is {ref.shape} "
            "(out_features, in_features); a transposed matrix is not accepted"
        )
    if not np.all(np.isfinite(p)):
        fail(f"{path}: contains NaN or infinite values")
    p64 = p.astype(np.float64)
    base_acc, base_correct = accuracy(tensors, xte, yte)
    model = dict(tensors)
    model[layer] = p64
    acc, correct = accuracy(model, xte, yte)
    r64 = ref.astype(np.float64)
    s = np.linalg.svd(p64, compute_uv=False)
    rank = int(np.sum(s > s[0] * max(p.shape) * np.finfo(p.dtype).eps)) if s[0] > 0 else 0
    rel = np.linalg.norm(p64 - r64) / np.linalg.norm(r64)
    kept = float(np.sum(s**2) / np.sum(np.linalg.svd(r64, compute_uv=False) ** 2))
    print(f"layer {layer} {ref.shape} replaced by {path}")
    print(
        f"  numerical rank {rank}, energy ratio ||P||^2/||W||^2 = {kept:.4f}, "
        f"||P - W||/||W|| = {rel:.4f}"
    )
    print(
        f"  test accuracy: {acc:.4f} ({correct}/{len(yte)}); "
        f"unpruned {base_acc:.4f} ({base_correct}/{len(yte)})"
    )


def cmd_evaluate_model(args):
    tensors, _, (_, _, xte, yte) = load_model(args.out_dir)
    path = args.evaluate_model
    pruned, _ = read_safetensors(path)
    if set(pruned) != set(tensors):
        fail(f"{path}: holds tensors {sorted(pruned)}, the model has {sorted(tensors)}")
    base_acc, base_correct = accuracy(tensors, xte, yte)
    print(f"model {path}")
    for name in sorted(tensors):
        ref, new = tensors[name], pruned[name]
        if ref.shape != new.shape:
            fail(f"{path}: tensor {name} has shape {new.shape}, the model's is {ref.shape}")
        if not np.all(np.isfinite(new)):
            fail(f"{path}: tensor {name} has NaN or infinite values")
        if np.array_equal(ref, new):
            print(f"  {name} {ref.shape}: unchanged")
            continue
        r64, n64 = ref.astype(np.float64), new.astype(np.float64)
        s = np.linalg.svd(n64, compute_uv=False)
        rank = int(np.sum(s > s[0] * max(new.shape) * np.finfo(np.float32).eps)) if s[0] > 0 else 0
        rel = np.linalg.norm(n64 - r64) / np.linalg.norm(r64)
        print(f"  {name} {ref.shape}: numerical rank {rank}, ||P - W||/||W|| = {rel:.4f}")
    acc, correct = accuracy(pruned, xte, yte)
    print(
        f"  test accuracy: {acc:.4f} ({correct}/{len(yte)}); "
        f"unpruned {base_acc:.4f} ({base_correct}/{len(yte)})"
    )


def cmd_sweep(args):
    tensors, _, (_, _, xte, yte) = load_model(args.out_dir)
    w = tensors[HIDDEN_LAYER].astype(np.float64)
    f = fit_spectrum(tensors[HIDDEN_LAYER])
    u, s, vt = np.linalg.svd(w, full_matrices=False)
    full = len(s)
    ranks = sorted(set(args.ranks or SWEEP_RANKS) | {f["above"], full})
    if ranks[0] < 1 or ranks[-1] > full:
        fail(f"--ranks: each k must be in 1..{full}")
    energy = np.cumsum(s**2) / np.sum(s**2)
    n_params = w.shape[0] * w.shape[1]
    print(
        f"{HIDDEN_LAYER} {w.shape}: {f['above']} singular values above the fitted MP edge "
        f"{f['edge']:.4f} (sigma {f['sigma']:.4f})"
    )
    print("| k | test accuracy | correct / 450 | retained energy | numbers min(k(N+M), NM) |")
    print("|---:|---:|---:|---:|---:|")
    for k in ranks:
        model = dict(tensors)
        model[HIDDEN_LAYER] = (u[:, :k] * s[:k]) @ vt[:k]
        acc, correct = accuracy(model, xte, yte)
        label = str(k)
        if k == full:
            label += " (all)"
        elif k == f["above"]:
            label += " (= above edge)"
        params = min(k * (w.shape[0] + w.shape[1]), n_params)
        print(f"| {label} | {acc:.4f} | {correct} | {energy[k - 1]:.4f} | {params} |")


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--evaluate", metavar="PRUNED.npy", help="test accuracy with P.npy in place of --layer"
    )
    ap.add_argument("--layer", help=f"tensor to replace (default {HIDDEN_LAYER})")
    ap.add_argument(
        "--evaluate-model",
        metavar="PRUNED.safetensors",
        help="test accuracy of a whole model with the same tensors (e.g. a pruned one)",
    )
    ap.add_argument(
        "--sweep", action="store_true", help="accuracy of rank-k approximations of the hidden layer"
    )
    ap.add_argument(
        "--ranks",
        type=lambda t: [int(v) for v in t.split(",")],
        help="with --sweep: comma-separated k (default 1,2,4,8,16,32; "
        "the count above the edge and all are always added)",
    )
    ap.add_argument(
        "--spectrum", action="store_true", help="fitted MP edge and outliers of every layer"
    )
    ap.add_argument(
        "--seed", type=int, default=TRAIN_SEED, help="training seed (init, batches); split is fixed"
    )
    ap.add_argument(
        "--out-dir", default=DEFAULT_DIR, help="files are written/read here (resources/weights)"
    )
    args = ap.parse_args()
    if sum(bool(x) for x in (args.evaluate, args.evaluate_model, args.sweep, args.spectrum)) > 1:
        fail("choose one of --evaluate, --evaluate-model, --sweep, --spectrum")
    if args.layer is not None and not args.evaluate:
        fail("--layer: only used with --evaluate")
    args.layer = args.layer or HIDDEN_LAYER
    if args.ranks is not None and not args.sweep:
        fail("--ranks: only used with --sweep")
    if args.evaluate:
        cmd_evaluate(args)
    elif args.evaluate_model:
        cmd_evaluate_model(args)
    elif args.sweep:
        cmd_sweep(args)
    elif args.spectrum:
        cmd_spectrum(args)
    else:
        cmd_train(args)


if __name__ == "__main__":
    main()
