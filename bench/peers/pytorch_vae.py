#!/usr/bin/env python3
"""The PyTorch peer of the training bench: the bernoulli-vae training step of PwgfService written in plain PyTorch
eager, to time the same model, batch and estimator outside .NET.

Model (as in the service): encoder 784-D (linear) or 784-200-200-D (nonlinear, LeakyReLU 0.3), decoder mirrored,
a learned Bernoulli prior, closed-form KL, Bernoulli pixel likelihood; batches drawn with replacement and
binarised afresh every step; Adam. The estimator (st or disarm) gives the encoder's gradient of E_q[-log p(x|z)].

Prints one JSON line: {"steps_per_second": median over windows, "windows": [...], "threads": n, ...}.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F


def network(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(torch.nn.LeakyReLU(0.3))
    return torch.nn.Sequential(*layers)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--estimator", choices=["st", "disarm"], default="st")
    parser.add_argument("--architecture", choices=["linear", "nonlinear"], default="linear")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--latent", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--window", type=int, default=300)
    parser.add_argument("--windows", type=int, default=5)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    pixels, latent = 784, args.latent
    hidden = [200, 200] if args.architecture == "nonlinear" else []
    encoder = network([pixels, *hidden, latent])
    decoder = network([latent, *hidden[::-1], pixels])
    prior = torch.nn.Parameter(torch.zeros(latent))
    optimizer = torch.optim.Adam([*encoder.parameters(), *decoder.parameters(), prior], lr=1e-3)
    data = torch.rand(50_000, pixels)  # intensities; speed does not depend on their values

    def reconstruction(z, x):
        return F.binary_cross_entropy_with_logits(decoder(z), x, reduction="none").sum(-1)

    def step():
        x = torch.bernoulli(data[torch.randint(0, data.shape[0], (args.batch,))])
        logits = encoder(x)
        p = logits.sigmoid()
        if args.estimator == "st":
            z = torch.bernoulli(p.detach())
            recon = reconstruction(z + p - p.detach(), x)
        else:
            u = torch.rand_like(p)
            pd = p.detach()
            b1 = (u > 1 - pd).float()
            b2 = (u < pd).float()
            values = reconstruction(torch.cat([b1, b2]), x.repeat(2, 1))
            f1, f2 = values[: args.batch], values[args.batch:]
            weight = 0.5 * (f1 - f2).detach().unsqueeze(-1) * (b1 != b2).float() * (1 - 2 * b2) * logits.detach().abs().sigmoid()
            recon = 0.5 * (f1 + f2) + ((logits - logits.detach()) * weight).sum(-1)
        kl = (p * (F.logsigmoid(logits) - F.logsigmoid(prior)) + (1 - p) * (F.logsigmoid(-logits) - F.logsigmoid(-prior))).sum(-1)
        loss = (recon + kl).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    for _ in range(args.warmup):
        step()
    rates = []
    for _ in range(args.windows):
        start = time.perf_counter()
        for _ in range(args.window):
            step()
        rates.append(args.window / (time.perf_counter() - start))
    print(json.dumps({
        "steps_per_second": statistics.median(rates),
        "windows": rates,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "estimator": args.estimator,
        "architecture": args.architecture,
    }))


if __name__ == "__main__":
    main()
