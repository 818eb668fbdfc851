"""Tests the exported training script, src/lib/export/python/train.py, on the CPU against the site's own code.

usage: /usr/bin/python3 tests/python/test_train.py   (from the repository root; needs node and PyTorch; ~2 min)

It writes Fashion-MNIST shards with `reslab data prepare`, builds stand-in packages (tiny models, the
real definitions from trainOracle.ts) in a temporary folder, and checks: the data ops, schedules and
JSON numbers against TF.js and the site; one process against two (torchrun, gloo); a run killed after
its first epoch and restarted against an unbroken one; divergence; CIFAR-10 pickles; bad input.
Every results file is validated by checkTrainResults.ts (schema, hash, layout).
"""

import importlib.util
import json
import os
import pickle
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TRAIN = os.path.join(ROOT, "src", "lib", "export", "python", "train.py")

MODEL_PY = '''
import torch.nn as nn


class WithBatchNorm(nn.Module):
    input_shape = (1, 28, 28)
    num_classes = 10

    def __init__(self):
        super().__init__()
        c, s = self.input_shape[0], self.input_shape[1] // 4
        self.body = nn.Sequential(nn.Conv2d(c, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4), nn.ReLU(),
                                  nn.MaxPool2d(4), nn.Dropout(0.1), nn.Flatten(), nn.Linear(4 * s * s, 10))

    def forward(self, x):
        return self.body(x)


class Plain(nn.Module):
    """No BN, no dropout: the same steps whatever the number of processes."""
    input_shape = (1, 28, 28)
    num_classes = 10

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(4), nn.Flatten(),
                                  nn.Linear(4 * 49, 10))

    def forward(self, x):
        return self.body(x)


class ThreeChannels(WithBatchNorm):
    input_shape = (3, 32, 32)


VARIANTS = {VARIANTS}


def build(variant=None):
    return VARIANTS[variant or next(iter(VARIANTS))]()
'''

WEIGHTS_PY = '''
import torch


def load_weights(model, path):
    model.load_state_dict(torch.load(path), strict=True)


def save_weights(model, path):
    torch.save(model.state_dict(), path)
'''


def node(*args):
    """Runs a script with the repository's Node and returns its output."""
    return subprocess.run(["npx", "node", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout


def make_package(folder, entry, classes, training=None):
    """Writes a stand-in export: train.py, tiny models named as the definition's variants, experiment.json."""
    os.makedirs(folder)
    shutil.copy(TRAIN, folder)
    definition = json.loads(json.dumps(entry["definition"]))
    definition["training"].update(training or {})
    names = [v["name"] for v in definition["variants"]]
    with open(os.path.join(folder, "model.py"), "w") as f:
        f.write(MODEL_PY.replace("{VARIANTS}", "{" + ", ".join(f'"{n}": {c}' for n, c in zip(names, classes)) + "}"))
    with open(os.path.join(folder, "weights.py"), "w") as f:
        f.write(WEIGHTS_PY)
    with open(os.path.join(folder, "experiment.json"), "w") as f:
        json.dump({"format": "reslab-pytorch-export", "version": 1, "experiment": definition["experiment"],
                   "budget": definition["budget"], "definitionHash": entry["hash"], "definition": definition,
                   "seeds": entry["seeds"], "library": {"version": "0.1.0", "commit": "test", "dirty": False}}, f)
    return folder


def train(package, cwd, *flags, processes=1, check=True):
    """Runs train.py (with torchrun when processes > 1) and returns the finished process."""
    launch = [sys.executable]
    if processes > 1:  # --redirects 1 --tee 1: torch 1.13's torchrun fails on Python 3.11 with the default 0
        launch += ["-m", "torch.distributed.run", "--redirects", "1", "--tee", "1", f"--nproc_per_node={processes}"]
    done = subprocess.run([*launch, os.path.join(package, "train.py"), *flags], cwd=cwd, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"train.py {' '.join(flags)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def check_results(*files):
    """Validates results files as the site reads them (checkTrainResults.ts): schema, hash, layout."""
    print(node("tests/python/checkTrainResults.ts", *files).strip())


def records(file):
    """Returns a results file's runs without times and provenance, for comparing two runs."""
    with open(file) as f:
        runs = json.load(f)["runs"]
    return [dict(r, provenance=None, epochs=[dict(e, elapsedMs=None) for e in r["epochs"]]) for r in runs]


def close(a, b, tolerance):
    """Asserts two numbers (or lists of them) agree within a tolerance."""
    assert np.allclose(np.array(a, dtype=float), np.array(b, dtype=float), atol=tolerance, rtol=0), (a, b)


def test_ops(oracle, package):
    """Data ops, schedules, JSON numbers and definition hashes agree with the site's."""
    sys.path.insert(0, package)
    spec = importlib.util.spec_from_file_location("train", os.path.join(package, "train.py"))
    t = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(t)
    x = torch.tensor(oracle["pixels"]).view(3, 28, 28, 1).permute(0, 3, 1, 2)  # [n, c, h, w]
    for key, expected in oracle["resized"].items():
        size = tuple(map(int, key.split("x")))
        close(t.resize_bilinear(x, size).permute(0, 2, 3, 1).flatten(), expected, 1e-6)
    draws = torch.tensor(oracle["augment"]["draws"])
    augmented = t.apply_augment(x, oracle["augment"]["cropPadding"], draws[:, 0].long(), draws[:, 1].long(),
                                draws[:, 2] < 0.5)
    close(augmented.permute(0, 2, 3, 1).flatten(), oracle["augment"]["images"], 1e-6)
    for case in oracle["rates"]:
        rates = [t.learning_rate_at(case["schedule"], 0.07, step, 9) for step in range(40)]
        assert rates == case["rates"], (case["schedule"], rates)
    for bits, text in oracle["numbers"]:
        value = struct.unpack(">d", bytes.fromhex(bits))[0]
        assert t.js_number(value) == text, (value, t.js_number(value), text)
    for entry in oracle["definitions"]:
        assert t.hash_canonical(entry["definition"]) == entry["hash"], entry["definition"]["experiment"]
    print(f"ops: resize, augment, {len(oracle['rates'])} schedules, {len(oracle['numbers'])} numbers, "
          f"{len(oracle['definitions'])} definition hashes agree with the site")


def test_processes(package, work, data):
    """One process and two train the same steps (to float rounding) for a model without BN or dropout."""
    flags = ["--data", data, "--max-steps", "2", "--test-size", "32", "--seeds", "0", "--threads", "1"]
    train(package, work, *flags, "--out", "one.json")
    train(package, work, *flags, "--out", "two.json", processes=2)
    check_results(os.path.join(work, "one.json"), os.path.join(work, "two.json"))
    one, two = records(os.path.join(work, "one.json")), records(os.path.join(work, "two.json"))
    assert [r["message"] for r in one] == [r["message"] for r in two] and "cut short" in one[0]["message"]
    plain = [i for i, r in enumerate(one) if r["variant"] == "plain-20"][0]
    for key in ("trainLoss", "trainAccuracy", "testLoss", "testError"):
        close(one[plain]["epochs"][0][key], two[plain]["epochs"][0][key], 1e-5)
    with open(os.path.join(work, "two.json")) as f:
        runtime = json.load(f)["runs"][0]["provenance"]["runtime"]
    assert "2 processes (gloo)" in runtime and "BN statistics per process" in runtime, runtime
    print(f"processes: 1 and 2 agree on {one[plain]['variant']}: {one[plain]['epochs'][0]}")


def test_resume(package, work, data, processes, variants):
    """A run killed after its first epoch and restarted gives the records of an unbroken one."""
    flags = ["--data", data, "--epochs", "2", "--train-size", "2048", "--test-size", "500", "--seeds", "0",
             "--variants", ",".join(variants), "--threads", "1"]
    os.makedirs(work)
    train(package, work, *flags, "--out", "unbroken.json", "--checkpoints", "ck1", processes=processes)
    launch = [sys.executable] + (["-m", "torch.distributed.run", "--redirects", "1", "--tee", "1",
                                  f"--nproc_per_node={processes}"] if processes > 1 else [])
    first = subprocess.Popen([*launch, os.path.join(package, "train.py"), *flags, "--out", "resumed.json",
                              "--checkpoints", "ck2"], cwd=work, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    while not os.path.exists(os.path.join(work, "ck2", f"{variants[0]}@0.pt")):
        assert first.poll() is None, "the run ended before its first checkpoint"
        time.sleep(0.01)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    assert not os.path.exists(os.path.join(work, "resumed.json"))
    again = train(package, work, *flags, "--out", "resumed.json", "--checkpoints", "ck2", processes=processes)
    assert "resuming after epoch 1" in again.stdout, again.stdout
    assert not os.path.exists(os.path.join(work, "ck2")), "checkpoints left behind"
    check_results(os.path.join(work, "resumed.json"))
    assert records(os.path.join(work, "unbroken.json")) == records(os.path.join(work, "resumed.json"))
    print(f"resume ({', '.join(variants)}, {processes} process{'es' if processes > 1 else ''}): killed after "
          "epoch 1 and restarted, the same records as an unbroken run")


def test_weights(package, work, data):
    """--weights starts from the given weights: a seed's own initial weights give that seed's records."""
    sys.path.insert(0, package)
    import model
    import weights
    torch.manual_seed(0)
    weights.save_weights(model.build("plain-20"), os.path.join(work, "init.pt"))
    torch.manual_seed(5)
    weights.save_weights(model.build("plain-20"), os.path.join(work, "other.pt"))
    flags = ["--data", data, "--max-steps", "3", "--test-size", "64", "--seeds", "0", "--variants", "plain-20"]
    train(package, work, *flags, "--out", "fresh.json")
    train(package, work, *flags, "--weights", "init.pt", "--out", "same.json")
    train(package, work, *flags, "--weights", "other.pt", "--out", "other.json")
    fresh, same, other = (records(os.path.join(work, f)) for f in ("fresh.json", "same.json", "other.json"))
    assert fresh == same and fresh != other
    print("weights: --weights with seed 0's initial weights gives seed 0's records; other weights do not")


def test_other_data(package, work, other):
    """--allow-other-data trains on data whose checksum is not the definition's, and says so in the run."""
    train(package, work, "--data", other, "--allow-other-data", "--max-steps", "1", "--test-size", "32",
          "--seeds", "0", "--variants", "plain-20", "--out", "o.json")
    check_results(os.path.join(work, "o.json"))
    run = records(os.path.join(work, "o.json"))[0]
    assert "other data than the definition's" in run["message"], run["message"]
    print(f"other data: {run['message']}")


def make_cifar(folder):
    """Writes a tiny CIFAR-10 in its python pickle format: 40 images a batch, image 0 all red."""
    os.makedirs(folder)
    rng = np.random.default_rng(0)
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        images = rng.integers(0, 256, (40, 3072), dtype=np.uint8)  # rows: 1024 R, 1024 G, 1024 B
        images[0, :1024], images[0, 1024:] = 255, 0
        with open(os.path.join(folder, name), "wb") as f:
            pickle.dump({b"data": images, b"labels": [int(v) for v in rng.integers(0, 10, 40)]}, f)
    return folder


def test_diverged(package, work, data):
    """A run whose loss becomes NaN is recorded as diverged, with the site's message."""
    train(package, work, "--data", data, "--epochs", "2", "--train-size", "1280", "--test-size", "100",
          "--variants", "plain-20", "--seeds", "0", "--threads", "1", "--out", "d.json")
    check_results(os.path.join(work, "d.json"))
    run = records(os.path.join(work, "d.json"))[0]
    assert run["status"] == "diverged" and run["message"].startswith("loss became NaN by step"), run
    assert run["final"]["testError"] is None
    print(f"diverged: {run['message']}")


def test_cifar(package, work, folder):
    """CIFAR-10's python pickles load in channel order, train, and are labelled in the records."""
    spec = importlib.util.spec_from_file_location("train2", os.path.join(package, "train.py"))
    t = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(t)
    (x, y), (tx, ty), _ = t.load_cifar10(folder, None, None)
    assert x.shape == (200, 3, 32, 32) and tx.shape == (40, 3, 32, 32) and x[0, 0].min() == 255 and x[0, 1:].max() == 0
    train(package, work, "--dataset", "cifar10", "--data", folder, "--epochs", "1", "--train-size", "128",
          "--seeds", "0", "--threads", "1", "--out", "c.json")
    check_results(os.path.join(work, "c.json"))
    assert "CIFAR-10" in records(os.path.join(work, "c.json"))[0]["message"]
    print("cifar10: pickles read as [n, 3, 32, 32] R, G, B; the run says the definition's data does not apply")


def test_bad_input(package, work, data, other, corrupt, cifar):
    """Bad input stops with one line naming the problem, exit status 2, and nothing written."""
    flags = ["--max-steps", "1", "--test-size", "32", "--seeds", "0", "--variants", "plain-20"]
    with open(os.path.join(work, "foreign.json"), "w") as f:
        json.dump({"format": "reslab-experiment-results", "definitionHash": "0" * 64}, f)
    cases = [
        (["--data", data, "--variants", "nope"], 'invalid variant: "nope" (expected one of'),
        (["--data", data, "--bogus"], "unrecognized arguments: --bogus"),
        (["--data", data, "--seeds", "0,x"], "invalid --seeds"),
        (["--data", data, "--max-steps", "0"], "expected a positive integer"),
        (["--data", os.path.join(work, "missing")], "no data folder"),
        (["--data", work], "manifest.json"),
        (["--data", other], "data checksum mismatch"),
        (["--data", corrupt, "--allow-other-data"], "checksum mismatch for"),
        (["--data", data, "--out", os.path.join(work, "foreign.json", "x.json")], "cannot write --out"),
        (["--data", data, "--out", os.path.join(work, "foreign.json")], "holds results of another definition"),
        (["--data", data, "--weights", "missing.pt"], "no weights file"),
        (["--data", cifar, "--dataset", "cifar10"], "model.py's Plain takes 1-channel images"),
    ]
    if not torch.cuda.is_available():
        cases.append((["--data", data, "--device", "cuda"], "--device cuda"))
    for extra, expected in cases:
        done = train(package, work, *flags, *extra, check=False)
        lines = (done.stdout + done.stderr).strip().splitlines()
        assert done.returncode == 2 and len(lines) == 1 and expected in lines[0], (extra, done.returncode, lines)
        print(f"bad input: {lines[0]}")
    done = train(package, work, *flags, "--data", data, processes=3, check=False)  # 64 % 3 != 0
    assert done.returncode != 0 and "does not split across 3 processes" in done.stderr, done.stderr[-2000:]
    print("bad input (torchrun, 3 processes): batch size 64 does not split across 3 processes")
    assert sorted(os.listdir(work)) == ["foreign.json"], os.listdir(work)


def main():
    """Prepares data and packages, then runs every test."""
    root = tempfile.mkdtemp(prefix="reslab-train-")
    data = os.path.join(root, "fashion-mnist")
    node("src/cli/reslab.ts", "data", "prepare", "--out", data)
    oracle = json.loads(node("tests/python/trainOracle.ts"))
    definition = {(d["definition"]["experiment"], d["definition"]["budget"]): d for d in oracle["definitions"]}
    residual = make_package(os.path.join(root, "plain-vs-residual"), definition["plain-vs-residual", "reference"],
                            ["WithBatchNorm", "WithBatchNorm", "Plain", "WithBatchNorm"])
    vgg = make_package(os.path.join(root, "vgg-blocks"), definition["vgg-blocks", "reference"], ["ThreeChannels"],
                       {"optimizer": "adam", "learningRate": 0.001, "weightDecay": 0.00001,
                        "augment": {"flip": True, "cropPadding": 4},
                        "schedule": {"kind": "warmup", "warmupSteps": 5, "linear": True,
                                     "then": {"kind": "step", "epochs": [1], "factor": 4}}})
    diverging = make_package(os.path.join(root, "diverging"), definition["plain-vs-residual", "reference"],
                             ["WithBatchNorm", "WithBatchNorm", "Plain", "WithBatchNorm"], {"learningRate": 50000})
    other, corrupt = os.path.join(root, "other"), os.path.join(root, "corrupt")
    for folder, change in ((other, lambda m: m["classNames"].__setitem__(0, "Tee")),
                           (corrupt, lambda m: m["subsets"]["lesson"]["train"]["shards"][0].update(sha256="0" * 64))):
        shutil.copytree(data, folder)
        with open(os.path.join(folder, "manifest.json")) as f:
            manifest = json.load(f)
        change(manifest)
        with open(os.path.join(folder, "manifest.json"), "w") as f:
            json.dump(manifest, f)
    cifar = make_cifar(os.path.join(root, "cifar"))
    works = {name: os.path.join(root, "work-" + name) for name in ("processes", "weights", "diverged", "cifar", "bad")}
    for work in works.values():
        os.makedirs(work)
    test_ops(oracle, residual)
    test_processes(residual, works["processes"], data)
    test_resume(residual, os.path.join(root, "work-resume-1"), data, 1, ["resnet-8", "plain-20"])
    test_resume(residual, os.path.join(root, "work-resume-2"), data, 2, ["resnet-8", "plain-20"])
    test_resume(vgg, os.path.join(root, "work-resume-vgg"), data, 1, ["vgg11-small"])  # adam, warmup, augment
    test_weights(residual, works["weights"], data)
    test_diverged(diverging, works["diverged"], data)
    test_other_data(residual, works["diverged"], other)
    test_cifar(vgg, works["cifar"], cifar)
    test_bad_input(residual, works["bad"], data, other, corrupt, cifar)
    shutil.rmtree(root)
    print("all train.py tests passed")


if __name__ == "__main__":
    main()
