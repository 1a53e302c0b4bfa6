"""Order statistics and a mean's confidence interval, stdlib only."""
import math
import statistics

# Student's t, two-sided 95%, by degrees of freedom (1.96 beyond the table).
_T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
        9: 2.262, 10: 2.228, 12: 2.179, 15: 2.131, 20: 2.086, 25: 2.060, 30: 2.042, 40: 2.021,
        60: 2.000, 120: 1.980}


def quantile(xs, q):
    xs = sorted(xs)
    if not xs:
        return None
    pos = q * (len(xs) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def summary(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return None
    return {"n": len(xs), "median": quantile(xs, 0.5), "p10": quantile(xs, 0.1),
            "p90": quantile(xs, 0.9), "mean": statistics.fmean(xs), "ci95": mean_ci(xs)}


def t95(df):
    keys = [k for k in sorted(_T95) if k <= df]
    return _T95[keys[-1]] if keys and df <= 120 else 1.96


def mean_ci(xs):
    m = statistics.fmean(xs)
    if len(xs) < 2:
        return [m, m]
    h = t95(len(xs) - 1) * statistics.stdev(xs) / math.sqrt(len(xs))
    return [m - h, m + h]
