"""Reference numbers for the statistics tests, computed with SciPy (Debian's python3-scipy 1.10).

Run once by hand (`/usr/bin/python3 tests/Pwgf.UnitTests/Statistics/references.py`) and paste the printed numbers into
StatisticsReferences.cs; the tests never run Python. Each block states what it computes, independently of the C# code.
"""
import math

import numpy as np
from scipy import optimize, stats

print("// Welch's t-test: scipy.stats.ttest_ind(equal_var=False)")
a = [2.1, 2.5, 1.9, 2.8, 2.2]
b = [2.9, 3.1, 2.7, 3.6]
res = stats.ttest_ind(a, b, equal_var=False)
va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
print(f"welch t={res.statistic!r} p={res.pvalue!r} df={df!r}")
c = [10.0, 10.5, 9.5]
d = [10.2, 10.1, 10.3, 9.9, 10.0, 10.4]
res = stats.ttest_ind(c, d, equal_var=False)
print(f"welch2 t={res.statistic!r} p={res.pvalue!r}")
res = stats.ttest_ind([1.0, 1.2, 1.1], [1.05, 1.25, 1.15], equal_var=False)
print(f"summary pair t={res.statistic!r} p={res.pvalue!r}")
# Far into the tail: p far below what 1 - CDF could show.
e = [1.0, 1.001, 0.999, 1.0005, 0.9995]
f = [2.0, 2.001, 1.999, 2.0005, 1.9995]
res = stats.ttest_ind(e, f, equal_var=False)
print(f"welch3 t={res.statistic!r} p={res.pvalue!r}")

print("// Noncentral chi-square CDF: scipy.stats.ncx2.cdf(x, df, nc)")
for x, k, nc in [(3.0, 2, 1.5), (10.0, 5, 4.0), (0.5, 1, 0.2), (50.0, 3.7, 40.0), (900.0, 2, 1000.0), (4500.0, 10, 4400.0)]:
    print(f"ncx2 x={x} df={k} nc={nc} cdf={stats.ncx2.cdf(x, k, nc)!r}")
print("// Upper noncentrality: nc with ncx2.cdf(x, df, nc) = 0.05, by brentq")
for x, k in [(3.0, 2), (12.0, 3.5), (150.0, 1), (5000.0, 4)]:
    nc = optimize.brentq(lambda nc: stats.ncx2.cdf(x, k, nc) - 0.05, 1e-9, 10 * x + 100, xtol=1e-12)
    print(f"upper x={x} df={k} nc={nc!r}")

print("// Hotelling's T^2 and the diagonal chi-square on deterministic rows")
rows = np.array([[math.sin(1.3 * r) + 0.1,
                  0.5 * math.cos(0.7 * r) + 0.05 * math.sin(3.1 * r),
                  0.3 * math.sin(2.2 * r) * math.cos(0.4 * r) - 0.02] for r in range(40)])
mu = np.array([0.0, 0.02, 0.01])
n, p = rows.shape
diff = rows.mean(axis=0) - mu
S = np.cov(rows, rowvar=False, ddof=1)
t2 = n * diff @ np.linalg.solve(S, diff)
fstat = t2 * (n - p) / (p * (n - 1))
print(f"hotelling t2={t2!r} p={stats.f.sf(fstat, p, n - p)!r}")
se2 = rows.var(axis=0, ddof=1) / n
x2 = float(np.sum(diff ** 2 / se2))
print(f"chisq x2={x2!r} p={stats.chi2.sf(x2, p)!r}")

print("// Seeds per estimator for 80% power: smallest n >= 2 with n >= (t(1-a/2,nu)+t(0.8,nu))^2 (s1^2+s2^2)/gap^2,")
print("// nu = (n-1)(s1^2+s2^2)^2/(s1^4+s2^4); and the power of Welch's test at that n by the noncentral t")
for s1, s2, gap, alpha in [(1.0, 1.0, 1.0, 0.05), (0.3, 0.1, 0.2, 0.05), (2.0, 0.5, 0.4, 0.05 / 3), (0.01, 0.02, 0.5, 0.05)]:
    v = s1 ** 2 + s2 ** 2
    per = v ** 2 / (s1 ** 4 + s2 ** 4)
    def needed(n):
        nu = (n - 1) * per
        return (stats.t.ppf(1 - alpha / 2, nu) + stats.t.ppf(0.8, nu)) ** 2 * v / gap ** 2
    n = 2
    while needed(n) > n:
        n += 1
    nu = (n - 1) * per
    ncp = gap / math.sqrt(v / n)
    crit = stats.t.ppf(1 - alpha / 2, nu)
    power = stats.nct.sf(crit, nu, ncp) + stats.nct.cdf(-crit, nu, ncp)
    print(f"seeds s1={s1} s2={s2} gap={gap} alpha={alpha!r} n={n} power={power:.4f}")
