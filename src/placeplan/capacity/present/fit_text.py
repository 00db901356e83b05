"""Fitted lengths of stay in words and as a mapping (`placeplan capacity fit`)."""

from __future__ import annotations

from typing import Any

from placeplan.capacity.domain.fitting import KINDS, NAMES, Fitted


def fit_dict(fitted: Fitted) -> dict[str, Any]:
    return {
        "observations": fitted.observations,
        "observed_mean": fitted.observed_mean,
        "observed_sd": fitted.observed_sd,
        "best": fitted.best,
        "fits": {k: fitted.fits[k].as_dict() for k in KINDS},
    }


def fit_text(fitted: Fitted) -> str:
    lines = [
        f"{fitted.observations:,} observed stays: mean {fitted.observed_mean:.2f} days, "
        f"sd {fitted.observed_sd:.2f} days",
        "",
        f"{'fit':<10} {'parameters':<34} {'mean':>8} {'sd':>8} {'KS D':>7} {'KS p':>6} {'AIC':>10}",
    ]
    for kind in KINDS:
        f = fitted.fits[kind]
        p = f.parameters
        params = (
            f"mu {p['mu']:.4f}, sigma {p['sigma']:.4f}"
            if kind == "lognormal"
            else f"shape {p['shape']:.4f}, scale {p['scale']:.4f}"
        )
        lines.append(
            f"{NAMES[kind]:<10} {params:<34} {f.mean:>8.3f} {f.sd:>8.3f} {f.ks_statistic:>7.4f}"
            f" {f.ks_p_value:>6.3f} {f.aic:>10.1f}"
        )
    best = fitted.fits[fitted.best]
    lines += [
        "",
        f"Lower AIC: {NAMES[fitted.best].lower()}; as a scenario's length_of_stay: "
        f"{{distribution: {best.kind}, mean: {best.mean:.4g}, sd: {best.sd:.4g}}}",
        "The KS p-value is conservative: the parameters were fitted to the same stays.",
    ]
    return "\n".join(lines) + "\n"
