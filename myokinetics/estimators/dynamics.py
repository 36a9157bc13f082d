"""The coupled physiological model: one explicit step of every state, vectorised over draws.

The step itself is split by body system (:mod:`myokinetics.estimators.body`); this module holds
the parameters, the rested state and the mapping from raw states to the published curves.

All states are arrays of shape ``(n_draws,)``. A step holds the exercise input constant over
``dt`` minutes and advances each linear sub-system with its exact solution (exponential
integrator): first-order relaxations, two-stage chains and the transients are exact for a
constant input, and couplings between sub-systems use the state at the start of the step.
This keeps 5-minute recovery steps stable even where a time constant is about a minute.
The equations are documented, with sources, in docs/science.md (one model card each).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from myokinetics.estimators.body import adipose, bone, brain, immune, liver, muscle, whole_body
from myokinetics.estimators.body.drive import Drive
from myokinetics.estimators.body.whole_body import KJ_PER_KCAL
from myokinetics.estimators.columns import CURVES
from myokinetics.processing.energy import o2_energy_kj_per_l
from myokinetics.processing.epoc import debt_factors
from myokinetics.processing.substrate import fat_share, fatmax_exponent, rest_fat_share

__all__ = ["BODY_SYSTEMS", "STATE_NAMES", "AthleteConstants", "ModelParameters", "advance",
           "initial_state", "observe", "raw_rows", "resting_output"]

STATE_NAMES: tuple[str, ...] = (
    "pvo2", "gup", "gprod", "ggly", "rp_area", "glycogen", "lac_m", "lac_s", "il6_a", "il6_m",
    "il6_p", "il10", "il1ra_1", "il1ra_2", "il15", "irisin", "bdnf", "ocn", "si_acute", "si_dose",
    "ffa_acute",
    "ffa_late_1", "ffa_late_2", "epoc_fast", "epoc_slow", "epoc_cum", "vo2_excess",
)
_OUT = {name: i for i, name in enumerate(CURVES)}
#: VO2max (mL/kg/min) at which ``lactate.obla_at_reference_vo2max`` applies: Green 2014's
#: untrained group, the intercept of its three-group regression.
OBLA_REFERENCE_VO2MAX = 44.9
AEROBIC_THRESHOLD_MMOL = 2.0  #: blood lactate at the aerobic threshold (Kindermann 1979)
#: Curves whose exercise response carries a structural error term (``structural.<name>`` in
#: parameters.toml, sized from the validation misses): energy and EPOC come from processing's
#: own models and keep their individual spread only.
STRUCTURAL = tuple(name for name in CURVES if name not in ("energy_expenditure", "epoc"))
#: Sourced physiological range of every curve (data/curve_limits.toml): lower and upper bound
#: in CURVES order; a draw whose structural factor would leave it is held at the bound.
_LIMITS = tomllib.loads((Path(__file__).with_name("data") / "curve_limits.toml").read_text())
CURVE_RANGE = (np.array([_LIMITS[name]["min"] for name in CURVES])[:, None],
               np.array([_LIMITS[name]["max"] for name in CURVES])[:, None])
#: The body systems a step advances, in DESIGN.md's organ order (each reads only its own states
#: and the start-of-step drive, so the order does not change the result).
BODY_SYSTEMS = (muscle, adipose, liver, bone, brain, immune, whole_body)


@dataclass(frozen=True)
class AthleteConstants:
    """What the model needs from the athlete (already resolved, no missing values).

    Attributes
    ----------
    body_mass_kg : float
        Body mass (kg).
    vo2max : float
        Maximal oxygen uptake (mL/kg/min).
    threshold_fraction : float or None
        Lactate/anaerobic threshold as a fraction of VO2max, from the threshold heart rate
        through %HRR = %VO2R (Swain & Leutholtz 1997); None defaults it from VO2max (fitter
        people reach 4 mmol/L at a larger share of VO2max, Green 2014).
    """

    body_mass_kg: float
    vo2max: float
    threshold_fraction: float | None


class ModelParameters:
    """Sampled parameters as attributes (arrays of shape ``(n_draws,)``) plus derived ones."""

    # Set from the ``glucose.*`` draws by the loop in ``__init__``.
    a1: np.ndarray
    a2: np.ndarray
    a3: np.ndarray
    a4: np.ndarray
    k_gly: np.ndarray
    t1: np.ndarray
    ath_quadratic: np.ndarray
    ath_linear: np.ndarray
    uptake_basal: np.ndarray
    hgo_basal: np.ndarray

    def __init__(self, draws: dict[str, np.ndarray], athlete: AthleteConstants) -> None:
        self.draws = draws
        get = draws.__getitem__
        self.n = len(get("il6.baseline"))
        self.mass = athlete.body_mass_kg
        self.vo2max = athlete.vo2max
        self.vo2_rest = float(get("intensity.vo2_rest")[0])
        self.x_rest = self.vo2_rest / self.vo2max
        self.rp_filter = get("intensity.rp_filter")
        self.fatmin = get("substrate.fatmin")
        self.fatmax = np.minimum(get("substrate.fatmax"), 0.95 * self.fatmin)
        self.fat_k = fatmax_exponent(self.fatmax, self.fatmin)
        self.phi0 = rest_fat_share(get("substrate.rest_rer"))
        self.gly_km = get("substrate.glycogen_km")
        self.fat_g = float(get("substrate.fat_g_per_l_o2")[0])
        self.cho_g = float(get("substrate.cho_g_per_l_o2")[0])
        self.store_g = get("glycogen.store_g_per_kg") * self.mass
        self.refill_k = 1.0 / (get("glycogen.refill_tau") * 60.0)
        for name in ("a1", "a2", "a3", "a4", "k_gly", "t1", "ath_quadratic", "ath_linear",
                     "uptake_basal", "hgo_basal"):
            setattr(self, name, get(f"glucose.{name}"))
        self.si_emax = get("insulin.emax")
        self.si_d50 = get("insulin.dose50")
        self.si_hill = get("insulin.hill")
        self.si_k = 1.0 / (get("insulin.tau") * 60.0)
        self.si_acute_gain = get("insulin.acute_gain")
        self.si_acute_up = 1.0 / get("insulin.acute_tau_rise")
        self.si_acute_down = 1.0 / (get("insulin.acute_tau") * 60.0)
        self.lac_rest = get("lactate.rest")
        self.lac_thr = np.maximum(get("lactate.at_threshold") - self.lac_rest, 0.0)
        self.lac_width = get("lactate.width")
        self.x_thr = (np.full(self.n, athlete.threshold_fraction)
                      if athlete.threshold_fraction is not None else np.clip(
                          get("lactate.obla_at_reference_vo2max") + get("lactate.obla_slope")
                          * (self.vo2max - OBLA_REFERENCE_VO2MAX), 0.4, 0.95))
        self.gamma1 = get("lactate.gamma1")
        self.gamma2 = get("lactate.gamma2")
        self.removal_exp = get("lactate.removal_vo2_exponent")
        self.lac_ceiling = get("lactate.ceiling")
        self.il6_base = get("il6.baseline")
        self.il6_kp = get("il6.plasma_clearance")
        self.il6_km = np.log(2.0) / get("il6.muscle_halflife")
        self.il6_gain = get("il6.release_gain")
        self.il6_gly = get("il6.glycogen_amplification")
        self.il6_on = 1.0 / get("il6.activation_tau")
        self.il6_exp = get("il6.intensity_exponent")
        self.il6_off = 1.0 / get("il6.activation_off_tau")
        self.cyto_exp = get("cytokine.exponent")
        self.il10_base = get("il10.baseline")
        self.il10_gain = get("il10.gain")
        self.il10_k = 1.0 / get("il10.tau")
        self.il1ra_base = get("il1ra.baseline")
        self.il1ra_gain = get("il1ra.gain")
        self.il1ra_k = 1.0 / get("il1ra.tau")
        self.u_ref = float(get("transient.reference_intensity")[0])
        for name in ("il15", "irisin", "osteocalcin"):
            setattr(self, f"{name}_amp", get(f"{name}.amplitude") / self.u_ref)
        self.bdnf_gain = get("bdnf.gain_above_threshold")
        for name in ("il15", "irisin", "bdnf", "osteocalcin"):
            setattr(self, f"{name}_up", 1.0 / get(f"{name}.tau_rise"))
            setattr(self, f"{name}_down", 1.0 / get(f"{name}.tau_fall"))
        self.il15_base = get("il15.baseline")
        self.irisin_base = get("irisin.baseline")
        self.bdnf_base = get("bdnf.baseline")
        self.ffa_base = get("ffa.baseline")
        self.ffa_acute = get("ffa.acute_gain") / 10.0
        self.ffa_up = 1.0 / get("ffa.acute_tau_rise")
        self.ffa_down = 1.0 / get("ffa.acute_tau_fall")
        self.ffa_late = get("ffa.late_gain")
        self.ffa_late_k = 1.0 / (get("ffa.late_tau") * 60.0)
        self.ee_mult = get("energy.individual_multiplier")
        self.epoc_fast_tau = get("epoc.fast_tau")
        self.epoc_share = get("epoc.slow_share")
        self.epoc_slow_tau = get("epoc.slow_tau")
        self.epoc_slow_k = 1.0 / self.epoc_slow_tau
        self.epoc_exp = get("epoc.intensity_exponent")
        # Resting whole-body VO2 (L/min) and the CHO it burns; exercise glycogen use is the excess.
        self.vo2_rest_l = self.vo2_rest * self.mass / 1000.0
        rer = float(get("energy.rest_rer")[0])
        self.ee_rest = self.vo2_rest_l * o2_energy_kj_per_l(rer) / KJ_PER_KCAL  # kcal/min
        self.cho_rest = self.cho_g * (1.0 - self.fat_share(self.x_rest)) * self.vo2_rest_l
        self._decay: dict[float, dict[str, np.ndarray]] = {}
        # Constant per draw, hoisted out of the step.
        self.gup_gain = self.a3 / self.a4
        self.gprod_gain = self.a1 / self.a2
        self.phi_rest = self.fat_share(self.x_rest)
        self.lac_rest_term = np.exp((self.x_rest - self.x_thr) / self.lac_width)
        # Maximal fat oxidation (g/min, Achten & Jeukendrup's MFO: the curve's value at Fatmax),
        # and the most fat a long bout with falling glycogen oxidises.
        self.mfo = (self.fat_g * self.fat_share(self.fatmax)
                    * self.fatmax * self.vo2max * self.mass / 1000.0)
        self.fat_ceiling = self.mfo * get("substrate.prolonged_fat_ceiling")
        self.epoc_fast_k = 1.0 / self.epoc_fast_tau
        self.si_d50_n = self.si_d50 ** self.si_hill
        # One factor per draw and curve, constant in time: how far this simulated person's
        # response may sit from the model's structure (1 for every curve at n_draws = 1).
        self.structural = np.stack([get(f"structural.{name}") for name in STRUCTURAL])
        self.transients = tuple((state, getattr(self, f"{prefix}_amp"), f"{prefix}_up",
                                 f"{prefix}_down") for state, prefix in
                                (("il15", "il15"), ("irisin", "irisin"),
                                 ("ocn", "osteocalcin")))
        # Ventilatory (aerobic) threshold: where the steady-state lactate curve reaches
        # 2 mmol/L (Kindermann 1979's aerobic threshold).
        self.x_vt = self.x_thr + self.lac_width * np.log(
            np.maximum(AEROBIC_THRESHOLD_MMOL - self.lac_rest, 0.1) / np.maximum(self.lac_thr, 0.1)
            + self.lac_rest_term)

    def decay(self, dt: float) -> dict[str, np.ndarray]:
        """exp(-rate x dt) for every rate constant (dt in min), and the chain kernels (cached
        per dt)."""
        cached = self._decay.get(dt)
        if cached is not None:
            return cached
        rates = {"rp": self.rp_filter, "a2": self.a2, "a4": self.a4, "t1": 1.0 / self.t1,
                 "refill": self.refill_k, "g1": self.gamma1, "g2": self.gamma2,
                 "km": self.il6_km, "kp": self.il6_kp, "il10": self.il10_k,
                 "il1ra": self.il1ra_k, "ffa_up": self.ffa_up, "ffa_down": self.ffa_down,
                 "ffa_late": self.ffa_late_k, "si": self.si_k, "il6_off": self.il6_off,
                 "si_up": self.si_acute_up, "si_down": self.si_acute_down}
        for name in ("il15", "irisin", "bdnf", "osteocalcin"):
            rates[f"{name}_up"] = getattr(self, f"{name}_up")
            rates[f"{name}_down"] = getattr(self, f"{name}_down")
        table = {name: np.exp(-rate * dt) for name, rate in rates.items()}
        table["fast"], table["fast_gain"] = debt_factors(dt, self.epoc_fast_tau)
        table["slow"], table["slow_gain"] = debt_factors(dt, self.epoc_slow_tau)
        for name, k1, k2 in (("lac", "g1", "g2"), ("il6", "km", "kp"), ("il1ra", "il1ra", "il1ra"),
                             ("ffa_late", "ffa_late", "ffa_late")):
            diff = rates[k2] - rates[k1]
            close = np.abs(diff) < 1e-9
            table[f"{name}_kernel"] = np.where(
                close, dt * table[k2], (table[k1] - table[k2]) / np.where(close, 1.0, diff))
        if len(self._decay) > 32:
            self._decay.clear()
        self._decay[dt] = table
        return table

    def fat_share(self, x: float | np.ndarray) -> np.ndarray:
        """Fraction of VO2 used by fat at intensity ``x`` (fraction of VO2max), full glycogen."""
        return fat_share(x, self.phi0, self.fatmin, self.fat_k)


def initial_state(p: ModelParameters) -> dict[str, np.ndarray]:
    """The rested steady state: every excess is zero, glycogen full."""
    state = {name: np.zeros(p.n) for name in STATE_NAMES}
    state["glycogen"] = np.ones(p.n)
    return state


def advance(s: dict[str, np.ndarray], p: ModelParameters, x: float, vo2: float, ee: float,
            active: bool, dt_s: float) -> dict[str, np.ndarray]:
    """Advance every state by ``dt_s`` seconds at a constant input; return the outputs.

    Parameters
    ----------
    s : dict of ndarray
        States (replaced in place by their values at the end of the step).
    p : ModelParameters
    x : float
        Intensity as a fraction of VO2max (rest value when not ``active``).
    vo2 : float
        Oxygen uptake (mL/kg/min) from processing.
    ee : float
        Energy expenditure from processing (kcal/min, its default variant); ignored at rest.
    active : bool
        True for a step inside a recording, False for rest between or after recordings.
    dt_s : float
        Step length (s); the rate constants are per minute, so the step works in minutes.

    Returns
    -------
    dict of ndarray
        Raw value of every curve at the end of the step (rates such as oxidation are step
        means), by curve name; :func:`raw_rows` stacks them for :func:`observe`.
    """
    dt_min = dt_s / 60.0
    drive = Drive.of(s, p, x, vo2, ee, active, dt_min)
    e = p.decay(dt_min)
    out: dict[str, np.ndarray] = {}
    for system in BODY_SYSTEMS:
        out.update(system.step(s, p, drive, e))
    return out


def raw_rows(outputs: list[dict[str, np.ndarray]]) -> np.ndarray:
    """Stack step outputs into an array of shape (rows, quantities in CURVES order, draws)."""
    return np.array([[row[name] for name in CURVES] for row in outputs])


def observe(raw: np.ndarray, p: ModelParameters) -> np.ndarray:
    """Curves from stacked raw step values (array of shape (rows, quantities, draws), in place).

    Kept out of :func:`advance` so the per-step work is only the state update; this runs once
    per returned chunk of rows, vectorised over rows and draws.
    """
    q = _OUT
    for i, name in enumerate(STRUCTURAL):
        factor = p.structural[i]
        if name == "glycogen":
            raw[:, q[name]] = np.clip(1.0 - (1.0 - raw[:, q[name]]) * factor, 0.0, 1.0)
        elif name == "insulin_sensitivity":
            raw[:, q[name]] = 1.0 + (raw[:, q[name]] - 1.0) * factor
        else:  # an excess over the baseline, or a rate
            raw[:, q[name]] *= factor
    raw[:, q["il6"]] += p.il6_base
    for name, base in (("il10", p.il10_base), ("il1ra", p.il1ra_base), ("il15", p.il15_base),
                       ("irisin", p.irisin_base), ("bdnf", p.bdnf_base), ("ffa", p.ffa_base)):
        raw[:, q[name]] = base * (1.0 + raw[:, q[name]])
    raw[:, q["lactate"]] = p.lac_rest + np.maximum(raw[:, q["lactate"]], 0.0)
    raw[:, q["glucose_uptake"]] += p.uptake_basal
    hgo = q["hepatic_glucose_output"]
    raw[:, hgo] = np.maximum(p.hgo_basal + raw[:, hgo], 0.0)
    raw[:, q["osteocalcin"]] += 1.0
    return np.clip(raw, CURVE_RANGE[0], CURVE_RANGE[1], out=raw)


def resting_output(s: dict[str, np.ndarray], p: ModelParameters) -> dict[str, np.ndarray]:
    """Raw values of the current state without advancing time (a zero-length rest step)."""
    trial = {k: v.copy() for k, v in s.items()}
    return advance(trial, p, p.x_rest, p.vo2_rest, float("nan"), False, 6e-8)
