"""
Trains an exported ResLab experiment with PyTorch: every variant at every seed, with the library's
recipe (data, data order, schedule, weight decay, records), and writes a ResLab results file.

Usage, from any folder (the data folder is what `reslab data prepare --out DIR` writes):

    python3 train.py                                 # one process, on the GPU if there is one
    python3 train.py --max-steps 20 --test-size 256  # a smoke test
    torchrun --nproc_per_node=8 train.py             # 8 GPUs (or 8 CPU processes) on one machine
    # two machines of 8 GPUs, each with the data: the same command on both, --node_rank=1 on the second
    torchrun --nnodes=2 --node_rank=0 --nproc_per_node=8 --master_addr=10.0.0.1 --master_port=29500 train.py

experiment.json's batch size is the global batch: N processes each take 1/N of every batch of the same
seeded order, so they train the steps one process would. Results go to results/<experiment>.json after
every finished run, a checkpoint per run to checkpoints/ after every epoch (both on the first machine);
the same command again resumes, skipping finished runs. `python3 train.py --help` lists every flag.
"""

import argparse
import contextlib
import copy
import decimal
import gzip
import hashlib
import json
import math
import os
import pickle
import platform
import sys
import time
import warnings
from collections import Counter
from datetime import datetime, timezone

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F

# DDP warns when a 1-channel input gives a conv weight gradient with other (equivalent) strides: harmless.
warnings.filterwarnings("ignore", message="Grad strides do not match bucket view strides")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import VARIANTS, build  # noqa: E402
from weights import load_weights  # noqa: E402

RESULTS_FORMAT = "reslab-experiment-results"
FASHION_MNIST_STATS = (0.286, 0.353)  # mean and std of the pixels in [0, 1] (src/lib/data/fashionMnist.ts)
CIFAR10_STATS = ((0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616))  # per channel
EVALUATE_BATCH = 256


class UsageError(Exception):
    """A problem with the command's input: reported in one line, exit status 2."""


# ------------------------------------------------------------------------- JSON as the site writes it

def js_number(x):
    """Returns a number as JavaScript's JSON.stringify writes it (2.0 → 2, 1e-05 → 0.00001, 1e21 → 1e+21)."""
    if isinstance(x, int) and abs(x) < 10**21:
        return str(x)
    if x == 0:
        return "0"
    t = decimal.Decimal(repr(abs(float(x)))).as_tuple()  # repr: the shortest digits that read back, as JS
    digits, n = "".join(map(str, t.digits)).rstrip("0"), t.exponent + len(t.digits)  # x = 0.digits × 10^n
    if len(digits) <= n <= 21:
        text = digits + "0" * (n - len(digits))
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        text = digits[0] + ("." + digits[1:] if len(digits) > 1 else "") + f"e{n - 1:+d}"
    return ("-" if x < 0 else "") + text


def canonical_json(value):
    """Serialises plain data as src/lib/experiments/canonical.ts does: sorted keys, no whitespace."""
    if isinstance(value, dict):
        members = (json.dumps(k, ensure_ascii=False) + ":" + canonical_json(value[k]) for k in sorted(value))
        return "{" + ",".join(members) + "}"
    if isinstance(value, list):
        return "[" + ",".join(canonical_json(v) for v in value) + "]"
    if value is None or isinstance(value, (bool, str)):
        return json.dumps(value, ensure_ascii=False)
    if not math.isfinite(value):
        raise ValueError(f"invalid value: {value} (canonical JSON takes finite numbers only)")
    return js_number(value)


def hash_canonical(value):
    """Returns the SHA-256 (hex) of a value's canonical JSON: the site's hashCanonical."""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def format_json(value, indent="", suffix="", column=None):
    """Lays out JSON as the site's experimentResultsToJSON (Prettier's layout, 110 columns); NaN as null."""
    column, inner = len(indent) if column is None else column, indent + "  "
    if isinstance(value, list) and value:
        items = [format_json(v, inner, "," if i < len(value) - 1 else "") for i, v in enumerate(value)]
        flat = "[" + ", ".join(items) + "]"
        if all("\n" not in item for item in items) and column + len(flat) + len(suffix) <= 110:
            return flat
        texts = [item + ("," if i < len(items) - 1 else "") for i, item in enumerate(items)]
        if len(value) > 1 and all(type(v) in (int, float) for v in value):
            lines = [inner + texts[0]]  # Prettier's fill: numbers join the line while it stays in width
            for text in texts[1:]:
                if len(lines[-1]) + 1 + len(text) <= 110:
                    lines[-1] += " " + text
                else:
                    lines.append(inner + text)
            return "[\n" + "\n".join(lines) + "\n" + indent + "]"
        return "[\n" + "\n".join(inner + text for text in texts) + "\n" + indent + "]"
    if isinstance(value, dict) and value:
        members = []
        for i, (key, v) in enumerate(value.items()):
            head, comma = f"{inner}{json.dumps(key, ensure_ascii=False)}: ", "," if i < len(value) - 1 else ""
            members.append(head + format_json(v, inner, comma, len(head)) + comma)
        return "{\n" + "\n".join(members) + "\n" + indent + "}"
    if isinstance(value, float) and not math.isfinite(value):
        return "null"  # JSON has no NaN: the site reads null back as NaN
    return canonical_json(value)


# ------------------------------------------------------------------------- data

def read_split(folder, split, shape, size, name):
    """Returns the first `size` images [n, c, h, w] (uint8) and labels [n] of a split, checking each shard."""
    h, w, c = shape
    images, labels, have = [], [], 0
    for entry in split["shards"]:
        if have >= size:
            break
        path = os.path.join(folder, entry["file"])
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except OSError as e:
            raise UsageError(f"cannot read shard {path}: {e.strerror} (run `reslab data prepare` again)")
        payload = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw  # a shard is a gzipped payload
        if hashlib.sha256(payload).hexdigest() != entry["sha256"]:
            raise UsageError(f"checksum mismatch for {path}: not the shard its manifest lists "
                             "(run `reslab data prepare` again)")
        count = entry["count"]
        pixels = np.frombuffer(payload, dtype=np.uint8)  # count labels, then count × h × w × c pixels
        if pixels.size != count * (1 + h * w * c):
            raise UsageError(f"invalid shard {path}: {pixels.size} bytes (expected {count * (1 + h * w * c)})")
        labels.append(pixels[:count])
        images.append(pixels[count:].reshape(count, h, w, c))
        have += count
    if have < size:
        raise UsageError(f"the {name} split has {have} images (the definition asks for {size})")
    x = torch.from_numpy(np.concatenate(images)[:size]).permute(0, 3, 1, 2).contiguous()  # [n, c, h, w]
    return x, torch.from_numpy(np.concatenate(labels)[:size].astype(np.int64))


def load_fashion_mnist(folder, data, allow_other):
    """Returns train and test (images, labels) of the definition's subset, and a note if it is other data."""
    path = os.path.join(folder, "manifest.json")
    try:
        with open(path) as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        raise UsageError(f"cannot read {path}: {getattr(e, 'strerror', None) or e} "
                         "(expected the manifest `reslab data prepare` writes)")
    subset = manifest.get("subsets", {}).get(data["subset"])
    if subset is None:
        raise UsageError(f"no subset {data['subset']} in {path} (it has {', '.join(manifest.get('subsets', {}))}; "
                         "`reslab data prepare --full` writes full)")
    checksum = hash_canonical({  # as subsetChecksum in src/lib/experiments/dataSubsets.ts
        "dataset": manifest["dataset"], "imageShape": manifest["imageShape"], "classNames": manifest["classNames"],
        **{split: [{"count": s["count"], "sha256": s["sha256"]} for s in subset[split]["shards"]]
           for split in ("train", "test")}})
    note = None
    if checksum != data["checksum"]:
        if not allow_other:
            raise UsageError(f"data checksum mismatch: {path} subset {data['subset']} is {checksum[:12]}…, the "
                             f"definition's is {data['checksum'][:12]}… (prepare the data with `reslab data "
                             "prepare`, or pass --allow-other-data)")
        note = f"other data than the definition's (subset checksum {checksum[:12]}…, not {data['checksum'][:12]}…)"
    train = read_split(folder, subset["train"], manifest["imageShape"], data["trainSize"], "train")
    test = read_split(folder, subset["test"], manifest["imageShape"], data["testSize"], "test")
    return train, test, note


def load_cifar10(folder, train_size, test_size):
    """Returns train and test (images, labels) from CIFAR-10's python pickles (data_batch_1…5, test_batch)."""
    def read(names, size):
        images, labels = [], []
        for name in names:
            try:
                with open(os.path.join(folder, name), "rb") as f:
                    batch = pickle.load(f, encoding="bytes")
            except (OSError, pickle.UnpicklingError) as e:
                raise UsageError(f"cannot read CIFAR-10 batch {os.path.join(folder, name)}: {e} "
                                 "(expected the python version, cifar-10-batches-py)")
            images.append(np.asarray(batch[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32))  # R, G, B planes
            labels.append(np.asarray(batch[b"labels"], dtype=np.int64))
        x, y = np.concatenate(images), np.concatenate(labels)
        if size is not None and size > len(y):
            raise UsageError(f"CIFAR-10 in {folder} has {len(y)} images in {', '.join(names)} (asked for {size})")
        return torch.from_numpy(x[:size]), torch.from_numpy(y[:size])
    note = f"CIFAR-10 from {folder}: the definition's data block (Fashion-MNIST, checksum) does not apply"
    return read([f"data_batch_{i}" for i in range(1, 6)], train_size), read(["test_batch"], test_size), note


def resize_bilinear(x, size):
    """Resizes [n, c, h, w] as TF.js's resizeBilinear (no align corners, no half-pixel centres): src = dst × in/out."""
    def taps(n_in, n_out):
        source = torch.arange(n_out, dtype=torch.float64) * (n_in / n_out)
        low = source.floor().long()
        high = torch.clamp(low + 1, max=n_in - 1)
        return low.to(x.device), high.to(x.device), (source - low).float().to(x.device)
    (r0, r1, fr), (c0, c1, fc) = taps(x.shape[2], size[0]), taps(x.shape[3], size[1])
    top, bottom = x[:, :, r0], x[:, :, r1]  # [n, c, out_h, w]
    top = top[..., c0] + (top[..., c1] - top[..., c0]) * fc  # [n, c, out_h, out_w]
    bottom = bottom[..., c0] + (bottom[..., c1] - bottom[..., c0]) * fc
    return top + (bottom - top) * fr[:, None]


def draw_augment(count, augment, generator):
    """Draws each image's crop offsets and flip for a global batch, as src/lib/data/augment.ts."""
    pad = augment.get("cropPadding", 0)
    top = torch.randint(0, 2 * pad + 1, (count,), generator=generator)
    left = torch.randint(0, 2 * pad + 1, (count,), generator=generator)
    if augment.get("flip"):
        flip = torch.rand(count, generator=generator) < 0.5
    else:
        flip = torch.zeros(count, dtype=torch.bool)
    return pad, top, left, flip


def apply_augment(x, pad, top, left, flip):
    """Pads [n, c, h, w] with zeros, crops back to h × w at the drawn offsets, flips the drawn images."""
    n, _, h, w = x.shape
    x = F.pad(x, (pad, pad, pad, pad))  # [n, c, h + 2p, w + 2p]
    rows = (top[:, None] + torch.arange(h)).to(x.device)  # [n, h]
    cols = left[:, None] + torch.arange(w)
    cols = torch.where(flip[:, None], cols.flip(1), cols).to(x.device)  # [n, w]
    x = x[torch.arange(n, device=x.device)[:, None, None], :, rows[:, :, None], cols[:, None, :]]  # [n, h, w, c]
    return x.permute(0, 3, 1, 2)


def make_inputs(images, prep, augment=None):
    """Turns uint8 images [n, c, h, w] into model inputs: [0, 1], augment, resize, 1 → 3 channels, normalise."""
    x = images.float() / 255
    if augment is not None:
        x = apply_augment(x, *augment)
    if tuple(x.shape[2:]) != prep["size"]:
        x = resize_bilinear(x, prep["size"])
    if x.shape[1] != prep["channels"]:
        x = x.repeat(1, prep["channels"], 1, 1)  # [n, 3, h, w]
    return (x - prep["mean"]) / prep["std"]


def preprocessing(cls, data_channels, args, data, device):
    """Returns how batches reach a model class: its input size and channels, and the normalisation."""
    channels, h, w = cls.input_shape
    if args.dataset == "fashion-mnist" and (h, w) != (data["imageSize"],) * 2:
        raise UsageError(f"model.py's {cls.__name__} takes {h}×{w} images "
                         f"(the definition's imageSize is {data['imageSize']})")
    if channels != data_channels and data_channels != 1:
        raise UsageError(f"model.py's {cls.__name__} takes {channels}-channel images "
                         f"(the data has {data_channels} channels; only 1 → 3 is supported)")
    mean, std = (0.0, 1.0)
    if data["normalize"] == "standardize":
        mean, std = CIFAR10_STATS if args.dataset == "cifar10" else FASHION_MNIST_STATS
    mean, std = (torch.tensor(v, device=device).view(1, -1, 1, 1) for v in (mean, std))  # [1, c or 1, 1, 1]
    return {"size": (h, w), "channels": channels, "mean": mean, "std": std}


# ------------------------------------------------------------------------- training

def learning_rate_at(schedule, base_rate, step, steps_per_epoch):
    """Returns the rate at a 0-based step: src/lib/train/schedules.ts's learningRateAt."""
    kind = schedule.get("kind")
    if kind == "constant":
        return base_rate
    if kind == "step":
        drops = sum(1 for boundary in schedule["epochs"] if step // steps_per_epoch >= boundary)
        return base_rate / schedule.get("factor", 10) ** drops
    if kind == "warmup":
        if step < schedule["warmupSteps"]:
            if schedule.get("linear"):
                return base_rate * (step + 1) / schedule["warmupSteps"]
            return schedule.get("warmupRate", base_rate / 10)
        return learning_rate_at(schedule.get("then", {"kind": "constant"}), base_rate, step, steps_per_epoch)
    raise UsageError(f"invalid schedule kind: {json.dumps(kind)} (expected one of constant, step, warmup)")


def make_optimizer(model, training):
    """Returns SGD (momentum, Nesterov) or Adam, with coupled L2 decay on convolution and dense weights only."""
    decayed = {id(m.weight): m.weight for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))}
    others = [p for p in model.parameters() if id(p) not in decayed]
    groups = [{"params": list(decayed.values()), "weight_decay": training["weightDecay"]},
              {"params": others, "weight_decay": 0.0}]
    groups, rate = [g for g in groups if g["params"]], training["learningRate"]
    if training["optimizer"] == "adam":
        return torch.optim.Adam(groups, lr=rate, betas=(0.9, 0.999), eps=1e-7)  # TF.js's epsilon
    momentum = training["momentum"]
    return torch.optim.SGD(groups, lr=rate, momentum=momentum, nesterov=training["nesterov"] and momentum > 0)


def autocast(amp):
    """Returns float16 autocast on CUDA when AMP is on, else nothing."""
    return torch.autocast("cuda", dtype=torch.float16) if amp else contextlib.nullcontext()


def all_sum(t, ctx):
    """Sums a tensor over the processes, in place."""
    if ctx.world > 1:
        dist.all_reduce(t)
    return t


def start_run(ctx, variant, seed, path):
    """Builds a variant's model, optimiser and gradient scaler at a seed, restored from its checkpoint if any."""
    torch.manual_seed(seed)
    model = build(variant)
    if ctx.args.weights:
        load_weights(model, ctx.args.weights)
    if ctx.world > 1 and ctx.device.type == "cuda":
        model = nn.SyncBatchNorm.convert_sync_batchnorm(model)  # BN sees the global batch, as in one process
    model.to(ctx.device)
    optimizer = make_optimizer(model, ctx.definition["training"])
    scaler = (torch.amp.GradScaler("cuda", enabled=ctx.amp) if hasattr(torch.amp, "GradScaler")
              else torch.cuda.amp.GradScaler(enabled=ctx.amp))
    state = {"epoch": 0, "step": 0, "epochs": [], "loss": [], "accuracy": [], "elapsedMs": 0.0, "date": iso_now()}
    checkpoint = [torch.load(path, map_location="cpu") if ctx.rank == 0 and os.path.exists(path) else None]
    if ctx.world > 1:
        dist.broadcast_object_list(checkpoint, src=0)  # other machines do not see the first one's files
    if checkpoint[0] is not None:
        if checkpoint[0]["definitionHash"] != ctx.header["definitionHash"]:
            raise UsageError(f"{path} was written for another definition (delete it to train {variant}@{seed} afresh)")
        model.load_state_dict(checkpoint[0]["model"])
        optimizer.load_state_dict(checkpoint[0]["optimizer"])
        scaler.load_state_dict(checkpoint[0]["scaler"])
        state = checkpoint[0]["state"]
        log(ctx, f"{variant}@{seed}: resuming after epoch {state['epoch']} from {path}")
    return model, optimizer, scaler, state


def train_epoch(ctx, net, optimizer, scaler, state, seed, epoch, prep):
    """Trains one epoch (or up to --max-steps), keeping each step's loss and accuracy; returns why it diverged."""
    training, (images, labels) = ctx.definition["training"], ctx.train
    batch, local, every = training["batchSize"], training["batchSize"] // ctx.world, ctx.definition["curveEvery"]
    steps_per_epoch = len(labels) // batch  # the last partial batch is dropped, as the site does

    def rate_at(step):
        return learning_rate_at(training["schedule"], training["learningRate"], step, steps_per_epoch)

    # The epoch's randomness comes from (seed, epoch) alone, so a resumed run draws what an unbroken one does.
    generator = torch.Generator().manual_seed(seed * 10_000 + epoch)  # epochs ≤ 10,000, the site's limit
    torch.manual_seed((seed * 10_000 + epoch) * 1024 + ctx.rank)  # dropout, different in each process
    order = torch.randperm(len(labels), generator=generator).to(ctx.device)
    mine, pending = slice(ctx.rank * local, (ctx.rank + 1) * local), []  # this process's part of each batch
    for i in range(steps_per_epoch):
        indices = order[i * batch:(i + 1) * batch][mine]
        draws = draw_augment(batch, training["augment"], generator) if training["augment"] else None
        augment = (draws[0], *(d[mine] for d in draws[1:])) if draws else None
        x, y = make_inputs(images[indices], prep, augment), labels[indices]
        for group in optimizer.param_groups:
            group["lr"] = rate_at(state["step"])
        with autocast(ctx.amp):
            logits = net(x)  # [batch / world, classes]
        loss_sum = F.cross_entropy(logits.float(), y, reduction="sum")
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(loss_sum / local).backward()  # DDP averages gradients over processes: the global mean
        scaler.step(optimizer)
        scaler.update()
        pending.append(torch.stack([loss_sum.detach(), (logits.argmax(1) == y).sum().float()]))
        state["step"] += 1
        done = i == steps_per_epoch - 1 or (ctx.args.max_steps and state["step"] >= ctx.args.max_steps)
        if len(pending) == every or done:  # each read-back waits for the device and the other processes
            sums = all_sum(torch.stack(pending), ctx).tolist()
            for k, (loss, correct) in enumerate(sums):
                if not math.isfinite(loss):
                    step = state["step"] - len(sums) + k + 1
                    return (f"loss became {js_text(loss / batch)} by step {step} (epoch {epoch + 1}); "
                            f"try a lower learning rate than {js_text(rate_at(step - 1))}")
                state["loss"].append(loss / batch)
                state["accuracy"].append(correct / batch)
            pending = []
        if done:
            return None


def evaluate(model, prep, ctx):
    """Returns mean cross-entropy and accuracy on the test images in eval mode, each process taking a slice."""
    images, labels = ctx.test
    n, sums = len(labels), torch.zeros(2, device=ctx.device)  # cross-entropy sum, correct
    low, high = n * ctx.rank // ctx.world, n * (ctx.rank + 1) // ctx.world
    model.eval()
    with torch.no_grad():
        for start in range(low, high, EVALUATE_BATCH):
            end = min(start + EVALUATE_BATCH, high)
            x, y = make_inputs(images[start:end], prep), labels[start:end]
            with autocast(ctx.amp):
                logits = model(x)  # [batch, classes]
            sums += torch.stack([F.cross_entropy(logits.float(), y, reduction="sum"),
                                 (logits.argmax(1) == y).sum().float()])
    model.train()
    loss, correct = all_sum(sums, ctx).tolist()
    return loss / n, correct / n


def train_run(ctx, variant, seed):
    """Trains one variant at one seed, resuming its checkpoint, and returns its results-file run."""
    epochs, max_steps = ctx.definition["training"]["epochs"], ctx.args.max_steps
    total_steps = len(ctx.train[1]) // ctx.definition["training"]["batchSize"] * epochs
    path = os.path.join(ctx.args.checkpoints, f"{variant}@{seed}.pt")
    clock = time.perf_counter()
    model, optimizer, scaler, state = start_run(ctx, variant, seed, path)
    clock -= state["elapsedMs"] / 1000
    net = model if ctx.world == 1 else nn.parallel.DistributedDataParallel(
        model, device_ids=[ctx.device.index] if ctx.device.type == "cuda" else None, gradient_as_bucket_view=True)
    status, message = "completed", None
    for epoch in range(state["epoch"], epochs):  # 0-based here, 1-based in the records
        first = len(state["loss"])
        message = train_epoch(ctx, net, optimizer, scaler, state, seed, epoch, ctx.preps[variant])
        if message:
            status = "diverged"
            break
        if ctx.world > 1:
            for buffer in model.buffers():  # every process evaluates the first one's BN statistics
                dist.broadcast(buffer, 0)
        test_loss, test_accuracy = evaluate(model, ctx.preps[variant], ctx)
        steps = len(state["loss"]) - first
        state["epochs"].append({
            "epoch": epoch + 1, "step": state["step"],
            "trainLoss": sum(state["loss"][first:]) / steps, "trainAccuracy": sum(state["accuracy"][first:]) / steps,
            "testLoss": test_loss, "testError": 1 - test_accuracy, "elapsedMs": (time.perf_counter() - clock) * 1000})
        state["epoch"] = epoch + 1
        log(ctx, f"{variant}@{seed} epoch {epoch + 1}/{epochs}, step {state['step']}/{total_steps}: train loss "
                 f"{state['epochs'][-1]['trainLoss']:.4f}, test loss {test_loss:.4f}, test error {1 - test_accuracy:.4f}")
        if max_steps and state["step"] >= max_steps:
            if state["step"] < total_steps:
                message = f"cut short by --max-steps {max_steps}: {state['step']} of {total_steps} steps"
            break
        if ctx.rank == 0:
            state["elapsedMs"] = (time.perf_counter() - clock) * 1000
            checkpoint = {"definitionHash": ctx.header["definitionHash"], "model": model.state_dict(),
                          "optimizer": optimizer.state_dict(), "scaler": scaler.state_dict(), "state": state}
            save_atomically(path, lambda f: torch.save(checkpoint, f), binary=True)
    notes = "; ".join(note for note in (message, ctx.data_note) if note)
    return to_run(ctx, variant, seed, state, status, notes, (time.perf_counter() - clock) * 1000)


def to_run(ctx, variant, seed, state, status, message, wall_ms):
    """Returns a run as src/lib/experiments/resultsFile.ts's ExperimentRun."""
    epochs, every = state["epochs"], ctx.definition["curveEvery"]

    def curve(values):  # point i: the mean of steps i·every + 1 … (i + 1)·every; a partial window is left out
        return [sum(values[i * every:(i + 1) * every]) / every for i in range(len(values) // every)]

    last = epochs[-1] if epochs else {}
    final = {key: last.get(key, math.nan) for key in ("trainLoss", "trainAccuracy", "testLoss", "testError")}
    if epochs:
        best = min(epochs, key=lambda e: e["testError"])  # the first of equals, as the site
        final["best"] = {"epoch": best["epoch"], "testError": best["testError"]}
    spec = next((v for v in ctx.definition["variants"] if v["name"] == variant), {})
    run = {"variant": variant, "seed": seed, "model": spec.get("options", {}).get("name") or variant, "status": status}
    run.update({"message": message} if message else {})
    run.update({"epochs": epochs,
                "curve": {"every": every, "loss": curve(state["loss"]), "accuracy": curve(state["accuracy"])},
                "final": final,
                "provenance": dict(ctx.environment, date=state["date"], wallTimeMs=wall_ms)})
    return run


# ------------------------------------------------------------------------- files, processes, provenance

def js_text(x):
    """Returns a number as JavaScript's String() writes it, NaN and Infinity included (for messages)."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return js_number(x)


def iso_now():
    """Returns the time in UTC with milliseconds, as JavaScript's toISOString."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def save_atomically(path, write, binary=False):
    """Writes a file through a temporary one and a rename, so no reader ever sees half of it."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path + ".tmp", "wb" if binary else "w", encoding=None if binary else "utf-8") as f:
        write(f)
    os.replace(path + ".tmp", path)


def check_writable(path, what):
    """Fails with a UsageError unless a file can be written at path."""
    try:
        save_atomically(path + ".check", lambda f: f.write(""))
        os.remove(path + ".check")
    except OSError as e:
        raise UsageError(f"cannot write {what} {path}: {e.filename}: {e.strerror} (expected a writable file path)")


def read_finished_runs(path, header):
    """Returns the runs already in the results file (to resume), checking that it holds this definition."""
    if not os.path.exists(path):
        return []
    try:
        with open(path, encoding="utf-8") as f:
            results = json.load(f)
    except (OSError, ValueError) as e:
        raise UsageError(f"cannot read the results in --out {path}: {e} (move it away to start afresh)")
    if any(results.get(key) != header[key] for key in ("format", "experiment", "budget", "definitionHash")):
        raise UsageError(f"{path} holds results of another definition (hash {str(results.get('definitionHash'))[:12]}…,"
                         f" now {header['definitionHash'][:12]}…): move it away or pass another --out")
    return results["runs"]


def write_results(path, header, runs):
    """Writes the results file: runs by seed, then in variant order; seeds ascending."""
    order = [v["name"] for v in header["definition"]["variants"]]
    runs.sort(key=lambda r: (r["seed"], order.index(r["variant"]) if r["variant"] in order else -1))
    results = dict(header, seeds=sorted({r["seed"] for r in runs}), runs=runs)
    save_atomically(path, lambda f: f.write(format_json(results) + "\n"))


def describe_environment(ctx, library):
    """Returns the provenance every run shares (all but its date and wall time)."""
    cpu = platform.processor()
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    runtime = [f"python {platform.python_version()}, torch {torch.__version__}",
               f"{ctx.world} processes ({dist.get_backend()})" if ctx.world > 1 else "1 process",
               "AMP (float16)" if ctx.amp else "no AMP"]
    if ctx.device.type == "cuda":
        names = [torch.cuda.get_device_name(ctx.device)] * ctx.world
        if ctx.world > 1:
            dist.all_gather_object(names, names[0])
        runtime.append(", ".join(f"{count}× {name}" for name, count in Counter(names).items()))
    if ctx.world > 1:
        runtime.append("SyncBatchNorm" if ctx.device.type == "cuda" else "BN statistics per process")
    runtime += [ctx.data_note] if ctx.data_note else []
    return {"library": library,
            "backend": {"name": f"pytorch-{ctx.device.type}", "threads": torch.get_num_threads()},
            "cpu": {"model": cpu, "cores": os.cpu_count() or 1}, "runtime": ", ".join(runtime)}


def log(ctx, text):
    """Prints a progress line from the first process only."""
    if ctx.rank == 0:
        print(text, flush=True)


class Parser(argparse.ArgumentParser):
    """argparse, reporting a bad flag in one line with exit status 2."""

    def error(self, message):
        raise UsageError(f"{message} (see --help)")


def positive(text):
    """Parses a positive integer flag."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"invalid value: {text!r} (expected a positive integer)")
    return int(text)


def parse_args(argv):
    """Returns the command-line flags."""
    p = Parser(description="Trains the exported experiment's variants at its seeds; writes a ResLab results file.")
    p.add_argument("--data", help="data folder (default data/fashion-mnist, or data/cifar-10-batches-py)")
    p.add_argument("--dataset", choices=["fashion-mnist", "cifar10"], default="fashion-mnist")
    p.add_argument("--allow-other-data", action="store_true", help="train on data the definition's checksum is not")
    p.add_argument("--out", help="results file (default results/<experiment>.json)")
    p.add_argument("--checkpoints", default="checkpoints", help="folder of per-run checkpoints (default checkpoints)")
    p.add_argument("--variants", help="comma-separated variants (default all, in order)")
    p.add_argument("--seeds", help="comma-separated seeds (default experiment.json's)")
    p.add_argument("--epochs", type=positive, help="override the definition's epochs")
    p.add_argument("--train-size", type=positive, help="override the number of training images")
    p.add_argument("--test-size", type=positive, help="override the number of test images")
    p.add_argument("--max-steps", type=positive, help="stop each run after this many steps (smoke tests)")
    p.add_argument("--weights", help="start from these weights (weights.load_weights), not a fresh init")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    p.add_argument("--no-amp", action="store_true", help="no mixed precision on CUDA (never used on the CPU)")
    p.add_argument("--threads", type=positive, help="torch.set_num_threads")
    return p.parse_args(argv)


def parse_variants(text):
    """Parses --variants: names of model.VARIANTS, kept in its (training) order."""
    names = [name.strip() for name in text.split(",")]
    for name in names:
        if name not in VARIANTS:
            raise UsageError(f"invalid variant: {json.dumps(name)} (expected one of {', '.join(VARIANTS)})")
    return [name for name in VARIANTS if name in names]


def parse_seeds(text):
    """Parses --seeds: non-negative integers, ascending."""
    items = [item.strip() for item in text.split(",")]
    if not all(item.isdigit() for item in items):
        raise UsageError(f"invalid --seeds: {json.dumps(text)} (expected comma-separated non-negative integers)")
    return sorted({int(item) for item in items})


def main(argv=None):
    """Trains every chosen variant at every chosen seed, writing the results after each run."""
    args = parse_args(argv)
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "experiment.json"), encoding="utf-8") as f:
        exported = json.load(f)
    definition = copy.deepcopy(exported["definition"])
    training, data = definition["training"], definition["data"]
    for value, block, key in ((args.epochs, training, "epochs"), (args.train_size, data, "trainSize"),
                              (args.test_size, data, "testSize")):
        block[key] = block[key] if value is None else value  # a changed definition: its hash changes too
    header = {"format": RESULTS_FORMAT, "version": 1, "experiment": exported["experiment"],
              "budget": exported["budget"], "definitionHash": hash_canonical(definition), "definition": definition}
    variants = parse_variants(args.variants) if args.variants else list(VARIANTS)
    seeds = parse_seeds(args.seeds) if args.seeds else exported["seeds"]
    world, rank = int(os.environ.get("WORLD_SIZE", "1")), int(os.environ.get("RANK", "0"))
    if training["batchSize"] % world:
        raise UsageError(f"batch size {training['batchSize']} does not split across {world} processes "
                         "(expected a number of processes that divides it)")
    if training["optimizer"] not in ("sgd", "adam"):
        raise UsageError(f"invalid optimizer: {json.dumps(training['optimizer'])} (expected sgd or adam)")
    learning_rate_at(training["schedule"], 1.0, 0, 1)  # checks the schedule's kind
    if args.weights and not os.path.isfile(args.weights):
        raise UsageError(f"no weights file {args.weights} (expected a file weights.save_weights wrote)")
    if args.device == "cuda" and not torch.cuda.is_available():
        raise UsageError("--device cuda: torch sees no CUDA device here (expected --device auto or cpu)")
    cuda = args.device == "cuda" or (args.device == "auto" and torch.cuda.is_available())
    device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0"))) if cuda else torch.device("cpu")
    if cuda:
        torch.cuda.set_device(device)
    if args.threads:
        torch.set_num_threads(args.threads)
    folder = args.data or os.path.join("data", "cifar-10-batches-py" if args.dataset == "cifar10" else "fashion-mnist")
    if not os.path.isdir(folder):
        raise UsageError(f"no data folder {folder} (pass --data DIR; `reslab data prepare --out DIR` writes one)")
    if args.dataset == "cifar10":
        train, test, note = load_cifar10(folder, args.train_size, args.test_size)
    else:
        train, test, note = load_fashion_mnist(folder, data, args.allow_other_data)
    if len(train[1]) < training["batchSize"]:
        raise UsageError(f"{len(train[1])} training images (expected at least a batch, {training['batchSize']})")
    train, test = tuple(t.to(device) for t in train), tuple(t.to(device) for t in test)  # small: kept on the device
    preps = {v: preprocessing(VARIANTS[v], train[0].shape[1], args, data, device) for v in variants}
    classes = int(max(train[1].max(), test[1].max())) + 1
    for v in variants:
        if VARIANTS[v].num_classes < classes:
            raise UsageError(f"model.py's {v} has {VARIANTS[v].num_classes} outputs (the data has {classes} classes)")
    out, runs = args.out or os.path.join("results", f"{exported['experiment']}.json"), []
    if rank == 0:
        check_writable(out, "--out")
        runs = read_finished_runs(out, header)
        check_writable(os.path.join(args.checkpoints, "check"), "--checkpoints folder")
    if world > 1:
        dist.init_process_group("nccl" if cuda else "gloo")
        shared = [runs]
        dist.broadcast_object_list(shared, src=0)  # which runs are done: only the first machine has the file
        runs = shared[0]
    ctx = argparse.Namespace(args=args, definition=definition, header=header, world=world, rank=rank, device=device,
                             amp=cuda and not args.no_amp, train=train, test=test, preps=preps, data_note=note)
    ctx.environment = describe_environment(ctx, exported["library"])
    log(ctx, f"{exported['experiment']} at {exported['budget']}: {len(variants)} variants × {len(seeds)} seeds, "
             f"{ctx.environment['runtime']}; results to {out}")
    for seed in seeds:
        for variant in variants:
            if any(r["variant"] == variant and r["seed"] == seed for r in runs):
                log(ctx, f"{variant}@{seed}: already in {out}, skipped")
                continue
            run = train_run(ctx, variant, seed)
            if rank == 0:
                runs.append(run)
                write_results(out, header, runs)
                with contextlib.suppress(FileNotFoundError):
                    os.remove(os.path.join(args.checkpoints, f"{variant}@{seed}.pt"))
                log(ctx, f"{variant}@{seed}: {run['status']}, test error {run['final']['testError']:.4f}, in {out}")
    if rank == 0:
        with contextlib.suppress(OSError):
            os.rmdir(args.checkpoints)  # only when empty: every run finished
    if world > 1:
        dist.destroy_process_group()


if __name__ == "__main__":
    try:
        main()
    except UsageError as error:
        if os.environ.get("LOCAL_RANK", "0") == "0":  # once per machine
            print(f"train.py: error: {error}", file=sys.stderr)
        sys.exit(2)
