"""The coupled physiological model: one explicit step of every state, vectorised over draws.

All states are arrays of shape ``(n_draws,)``. A step holds the exercise input constant over
``dt`` minutes and advances each linear sub-system with its exact solution (exponential
integrator): first-order relaxations, two-stage chains and the transients are exact for a
constant input, and couplings between sub-systems use the state at the start of the step.
This keeps 5-minute recovery steps stable even where a time constant is about a minute.
The equations are documented, with sources, in docs/science.md (one model card each).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from myokinetics.estimators.columns import CURVES
from myokinetics.processing.intensity import o2_energy_kj_per_l
from myokinetics.processing.params import presets

__all__ = ["STATE_NAMES", "AthleteConstants", "ModelParameters", "advance", "initial_state",
           "observe"]

STATE_NAMES: tuple[str, ...] = (
    "pvo2", "gup", "gprod", "ggly", "rp_area", "glycogen", "lac_m", "lac_s", "il6_m", "il6_p",
    "il10", "il1ra_1", "il1ra_2", "il15", "irisin", "bdnf", "ocn", "si_dose", "ffa_acute",
    "ffa_late_1", "ffa_late_2", "epoc_fast", "epoc_slow", "epoc_cum", "vo2_excess",
)
_OUT = {name: i for i, name in enumerate(CURVES)}
KJ_PER_KCAL = presets()["energy"]["kj_per_kcal"]
#: Intensity (fraction of VO2max) at which ``epoc.slow_share`` applies: processing's EPOC model.
EPOC_REFERENCE = presets()["epoc"]["reference_fraction"]


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
        through %HRR = %VO2R (Swain & Leutholtz 1997); None uses Fatmin (Peric 2016).
    """

    body_mass_kg: float
    vo2max: float
    threshold_fraction: float | None


class ModelParameters:
    """Sampled parameters as attributes (arrays of shape ``(n_draws,)``) plus derived ones."""

    def __init__(self, draws: dict[str, np.ndarray], athlete: AthleteConstants) -> None:
        self.draws = draws
        get = draws.__getitem__
        self.n = len(get("il6.baseline"))
        self.mass = athlete.body_mass_kg
        self.vo2max = athlete.vo2max
        self.vo2_rest = float(get("intensity.vo2_rest")[0])
        self.x_rest = self.vo2_rest / self.vo2max
        self.rp_filter = get("intensity.rp_filter")
        # FATmax curve phi(x) = phi0 * (1 - (x / Fatmin)^k), k such that x*phi(x) peaks at Fatmax:
        # d/dx [x - x^(k+1)/Fmin^k] = 0  ->  (Fatmax/Fatmin)^k = 1/(k+1)  (solved by Newton).
        self.fatmin = get("substrate.fatmin")
        ratio = np.minimum(get("substrate.fatmax") / self.fatmin, 0.95)
        k = np.full(self.n, 5.0)
        for _ in range(30):
            k = np.clip(k - (k * np.log(ratio) + np.log1p(k)) / (np.log(ratio) + 1 / (k + 1)),
                        0.5, 60.0)
        self.fat_k = k
        self.phi0 = np.minimum(get("substrate.fat_share_rest"), 1.0)
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
        self.lac_rest = get("lactate.rest")
        self.lac_thr = np.maximum(get("lactate.at_threshold") - self.lac_rest, 0.0)
        self.lac_width = get("lactate.width")
        self.x_thr = (np.full(self.n, athlete.threshold_fraction)
                      if athlete.threshold_fraction is not None else self.fatmin)
        self.gamma1 = get("lactate.gamma1")
        self.gamma2 = get("lactate.gamma2")
        self.removal_exp = get("lactate.removal_vo2_exponent")
        self.il6_base = get("il6.baseline")
        self.il6_kp = get("il6.plasma_clearance")
        self.il6_km = np.log(2.0) / get("il6.muscle_halflife")
        self.il6_gain = get("il6.release_gain")
        self.il6_gly = np.clip(get("il6.glycogen_weight"), 0.0, 1.0)
        self.cyto_exp = get("cytokine.exponent")
        self.il10_base = get("il10.baseline")
        self.il10_gain = get("il10.gain")
        self.il10_k = 1.0 / get("il10.tau")
        self.il1ra_base = get("il1ra.baseline")
        self.il1ra_gain = get("il1ra.gain")
        self.il1ra_k = 1.0 / get("il1ra.tau")
        self.u_ref = float(get("transient.reference_intensity")[0])
        for name in ("il15", "irisin", "bdnf", "osteocalcin"):
            setattr(self, f"{name}_amp", get(f"{name}.amplitude") / self.u_ref)
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
        self.ee_mult = get("energy.keytel_multiplier")
        self.epoc_fast_tau = get("epoc.fast_tau")
        self.epoc_share = get("epoc.slow_share")
        self.epoc_slow_k = 1.0 / (get("epoc.slow_tau") * 60.0)
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
        self.il6_fixed = 1.0 - self.il6_gly
        self.epoc_fast_k = 1.0 / self.epoc_fast_tau
        self.si_d50_n = self.si_d50 ** self.si_hill
        self.transients = tuple((state, getattr(self, f"{prefix}_amp"), f"{prefix}_up",
                                 f"{prefix}_down") for state, prefix in
                                (("il15", "il15"), ("irisin", "irisin"), ("bdnf", "bdnf"),
                                 ("ocn", "osteocalcin")))

    def decay(self, dt: float) -> dict[str, np.ndarray]:
        """exp(-rate x dt) for every rate constant, and the chain kernels (cached per dt)."""
        cached = self._decay.get(dt)
        if cached is not None:
            return cached
        rates = {"rp": self.rp_filter, "a2": self.a2, "a4": self.a4, "t1": 1.0 / self.t1,
                 "refill": self.refill_k, "g1": self.gamma1, "g2": self.gamma2,
                 "km": self.il6_km, "kp": self.il6_kp, "il10": self.il10_k,
                 "il1ra": self.il1ra_k, "ffa_up": self.ffa_up, "ffa_down": self.ffa_down,
                 "ffa_late": self.ffa_late_k, "si": self.si_k,
                 "fast": 1.0 / self.epoc_fast_tau, "slow": self.epoc_slow_k}
        for name in ("il15", "irisin", "bdnf", "osteocalcin"):
            rates[f"{name}_up"] = getattr(self, f"{name}_up")
            rates[f"{name}_down"] = getattr(self, f"{name}_down")
        table = {name: np.exp(-rate * dt) for name, rate in rates.items()}
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

    def fat_share(self, x: float) -> np.ndarray:
        """Fraction of VO2 used by fat at intensity ``x`` (fraction of VO2max), full glycogen."""
        return self.phi0 * np.maximum(1.0 - (max(x, 0.0) / self.fatmin) ** self.fat_k, 0.0)


def initial_state(p: ModelParameters) -> dict[str, np.ndarray]:
    """The rested steady state: every excess is zero, glycogen full."""
    state = {name: np.zeros(p.n) for name in STATE_NAMES}
    state["glycogen"] = np.ones(p.n)
    return state


# === Exact solutions for a constant input over dt (decay factors e = exp(-k dt)) ===

def _relax(y: np.ndarray, target: np.ndarray, e: np.ndarray) -> np.ndarray:
    """dy/dt = k (target - y)."""
    return target + (y - target) * e


def _chain(m: np.ndarray, s: np.ndarray, source: np.ndarray, k1: np.ndarray, c: np.ndarray,
           k2: np.ndarray, e1: np.ndarray, e2: np.ndarray,
           kernel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """dm/dt = source - k1 m;  ds/dt = c m - k2 s  (exact; ``kernel`` = (e1 - e2)/(k2 - k1),
    or dt e2 when k1 == k2)."""
    m_ss = source / k1
    s_ss = c * m_ss / k2
    return m_ss + (m - m_ss) * e1, s_ss + (s - s_ss) * e2 + c * (m - m_ss) * kernel


def _transient(y: np.ndarray, target: np.ndarray, e_up: np.ndarray,
               e_down: np.ndarray) -> np.ndarray:
    """Relax towards ``target`` with the rise rate when below it, the fall rate when above."""
    return _relax(y, target, np.where(target > y, e_up, e_down))


def _decay_chain(m: np.ndarray, s: np.ndarray, c: np.ndarray, e1: np.ndarray, e2: np.ndarray,
                 kernel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_chain` without a source (rest)."""
    return m * e1, s * e2 + c * m * kernel


# === One step ===

def advance(s: dict[str, np.ndarray], p: ModelParameters, x: float, vo2: float, ee: float,
            active: bool, dt: float) -> tuple[np.ndarray, ...]:
    """Advance every state by ``dt`` minutes at a constant input; return the outputs.

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
        Energy expenditure from processing (kcal/min, Keytel 2005); ignored at rest.
    active : bool
        True for a step inside a recording, False for rest between or after recordings.
    dt : float
        Step length (min).

    Returns
    -------
    tuple of len(CURVES) arrays of shape (n_draws,)
        Raw values at the end of the step (rates such as oxidation are step means); stack rows
        and pass them to :func:`observe` for the curves.
    """
    u = max(x - p.x_rest, 0.0) if active else 0.0          # VO2 fraction above rest
    u3 = 100.0 * u                                          # Roy & Parker u3 (%VO2max above basal)
    net_vo2_l = max(vo2 - p.vo2_rest, 0.0) * p.mass / 1000.0 if active else 0.0
    excess_flux = s["vo2_excess"]                           # EPOC repayment at step start (L/min)
    vo2_l = p.vo2_rest_l + net_vo2_l if active else p.vo2_rest_l + excess_flux
    net_ee = max(ee - p.ee_rest, 0.0) if active else 0.0
    x_eff = x if active else p.x_rest

    # Roy & Parker 2007 eqs. 4, 8, 9, 13, A14 (glucose fluxes, mg/kg/min).
    e = p.decay(dt)
    pv = s["pvo2"]
    s["gup"] = _relax(s["gup"], p.gup_gain * pv, e["a4"])
    s["gprod"] = _relax(s["gprod"], p.gprod_gain * pv, e["a2"])
    if u3 > 0.0:
        s["pvo2"] = u3 + (pv - u3) * e["rp"]
        s["rp_area"] = s["rp_area"] + u3 * dt
        over = s["rp_area"] >= p.ath_quadratic * u3 ** 2 + p.ath_linear * u3
        s["ggly"] = np.minimum(s["ggly"] + np.where(over, p.k_gly * dt, 0.0), s["gprod"])
    else:
        s["pvo2"] = pv * e["rp"]
        s["rp_area"] = np.zeros(p.n)
        s["ggly"] = s["ggly"] * e["t1"]

    # Substrates: FATmax share, glycogen availability shifts CHO demand to fat.
    g = s["glycogen"]
    phi = p.fat_share(x_eff) if active else p.phi_rest
    cho_demand = p.cho_g * (1.0 - phi) * vo2_l
    uptake_ex_g = s["gup"] * p.mass / 1000.0
    from_glycogen = np.maximum(cho_demand - p.cho_rest - uptake_ex_g, 0.0)
    availability = (1.0 + p.gly_km) * g / (g + p.gly_km)
    shifted = from_glycogen * (1.0 - availability)          # g CHO/min taken over by fat
    cho = cho_demand - shifted
    fat = p.fat_g * (phi * vo2_l + shifted / p.cho_g)
    use = from_glycogen * availability / p.store_g          # fraction of store per min
    s["glycogen"] = np.clip(_relax(g, 1.0 - use / p.refill_k, e["refill"]), 0.0, 1.0)

    # Lactate: steady-state excess above rest, Freund two-compartment kinetics (M -> blood).
    # IL-6: muscle release ~ intensity x ((1 - w) + w x glycogen depleted), muscle -> plasma.
    il6_excess = s["il6_p"]
    if active:
        lac_ss = p.lac_thr * (np.exp((x_eff - p.x_thr) / p.lac_width) - p.lac_rest_term)
        # Removal speeds up with VO2 while exercising (Mader: oxidative removal ~ VO2); the
        # steady state L_ss is unchanged, only how fast blood lactate approaches it.
        gamma2 = p.gamma2 * max(vo2_l / p.vo2_rest_l, 1.0) ** p.removal_exp
        production = gamma2 * np.maximum(lac_ss, 0.0)
        e2 = np.exp(-gamma2 * dt)
        diff = gamma2 - p.gamma1
        close = np.abs(diff) < 1e-9
        kernel = np.where(close, dt * e2, (e["g1"] - e2) / np.where(close, 1.0, diff))
        s["lac_m"], s["lac_s"] = _chain(s["lac_m"], s["lac_s"], production, p.gamma1,
                                        p.gamma1, gamma2, e["g1"], e2, kernel)
        release = p.il6_gain * u * (p.il6_fixed + p.il6_gly * (1.0 - g))
        s["il6_m"], s["il6_p"] = _chain(s["il6_m"], il6_excess, release, p.il6_km, p.il6_km,
                                        p.il6_kp, e["km"], e["kp"], e["il6_kernel"])
    else:
        s["lac_m"], s["lac_s"] = _decay_chain(s["lac_m"], s["lac_s"], p.gamma1, e["g1"],
                                              e["g2"], e["lac_kernel"])
        s["il6_m"], s["il6_p"] = _decay_chain(s["il6_m"], il6_excess, p.il6_km, e["km"],
                                              e["kp"], e["il6_kernel"])
    drive = (np.maximum(il6_excess, 0.0) / p.il6_base) ** p.cyto_exp
    s["il10"] = _relax(s["il10"], p.il10_gain * drive, e["il10"])
    s["il1ra_1"], s["il1ra_2"] = _chain(s["il1ra_1"], s["il1ra_2"],
                                        p.il1ra_gain * drive * p.il1ra_k,
                                        p.il1ra_k, p.il1ra_k, p.il1ra_k, e["il1ra"],
                                        e["il1ra"], e["il1ra_kernel"])

    fast0, slow0 = s["epoc_fast"], s["epoc_slow"]
    if active:
        # Transients of published size: target fold-1 proportional to intensity above rest.
        for state, amplitude, up, down in p.transients:
            s[state] = _transient(s[state], amplitude * u, e[up], e[down])
        # Insulin sensitivity: leaky sum of net exercise energy (kcal).
        s["si_dose"] = _relax(s["si_dose"], net_ee / p.si_k, e["si"])
        # FFA: acute (net energy rate) and late (two-stage, net energy dose) lipolysis.
        s["ffa_acute"] = _transient(s["ffa_acute"], p.ffa_acute * net_ee, e["ffa_up"],
                                    e["ffa_down"])
        s["ffa_late_1"], s["ffa_late_2"] = _chain(s["ffa_late_1"], s["ffa_late_2"],
                                                  p.ffa_late * net_ee, p.ffa_late_k,
                                                  p.ffa_late_k, p.ffa_late_k, e["ffa_late"],
                                                  e["ffa_late"], e["ffa_late_kernel"])
        # EPOC: fast debt ~ O2 deficit, slow debt ~ net O2 x exp(intensity).
        s["epoc_fast"] = _relax(fast0, net_vo2_l / p.epoc_fast_k, e["fast"])
        slow_src = p.epoc_share * net_vo2_l * np.exp(p.epoc_exp * (x_eff - EPOC_REFERENCE))
        s["epoc_slow"] = _relax(slow0, slow_src / p.epoc_slow_k, e["slow"])
        s["vo2_excess"] = np.zeros(p.n)
        energy = ee * p.ee_mult
    else:  # every target is 0 at rest (the states are >= 0, so transients fall)
        for state, _, _, down in p.transients:
            s[state] = s[state] * e[down]
        s["si_dose"] = s["si_dose"] * e["si"]
        s["ffa_acute"] = s["ffa_acute"] * e["ffa_down"]
        s["ffa_late_1"], s["ffa_late_2"] = _decay_chain(s["ffa_late_1"], s["ffa_late_2"],
                                                        p.ffa_late_k, e["ffa_late"],
                                                        e["ffa_late"], e["ffa_late_kernel"])
        s["epoc_fast"], s["epoc_slow"] = fast0 * e["fast"], slow0 * e["slow"]
        # What left the debts was repaid as excess O2.
        repaid = (fast0 - s["epoc_fast"]) + (slow0 - s["epoc_slow"])
        s["epoc_cum"] = s["epoc_cum"] + repaid
        s["vo2_excess"] = s["epoc_fast"] * p.epoc_fast_k + s["epoc_slow"] * p.epoc_slow_k
        rer = 0.7 * phi + 1.0 * (1.0 - phi)
        kcal_per_l = o2_energy_kj_per_l(rer) / KJ_PER_KCAL
        energy = (p.vo2_rest_l + repaid / dt) * kcal_per_l

    # Raw values in CURVES order; :func:`observe` turns a stack of them into the curves.
    return (s["il6_p"], s["il10"], s["il1ra_2"], s["il15"], s["irisin"], s["bdnf"], s["lac_s"],
            s["glycogen"], s["gup"], s["gprod"] - s["ggly"], s["si_dose"],
            s["ffa_acute"] + s["ffa_late_2"], fat, cho, energy, s["epoc_cum"], s["ocn"])


def observe(raw: np.ndarray, p: ModelParameters) -> np.ndarray:
    """Curves from stacked raw step values (array of shape (rows, quantities, draws), in place).

    Kept out of :func:`advance` so the per-step work is only the state update; this runs once
    per returned chunk of rows, vectorised over rows and draws.
    """
    q = _OUT
    raw[:, q["il6"]] += p.il6_base
    for name, base in (("il10", p.il10_base), ("il1ra", p.il1ra_base), ("il15", p.il15_base),
                       ("irisin", p.irisin_base), ("bdnf", p.bdnf_base), ("ffa", p.ffa_base)):
        raw[:, q[name]] = base * (1.0 + raw[:, q[name]])
    raw[:, q["lactate"]] = p.lac_rest + np.maximum(raw[:, q["lactate"]], 0.0)
    raw[:, q["glucose_uptake"]] += p.uptake_basal
    hgo = q["hepatic_glucose_output"]
    raw[:, hgo] = np.maximum(p.hgo_basal + raw[:, hgo], 0.0)
    dose_n = raw[:, q["insulin_sensitivity"]] ** p.si_hill
    raw[:, q["insulin_sensitivity"]] = 1.0 + p.si_emax * dose_n / (p.si_d50_n + dose_n)
    raw[:, q["osteocalcin"]] += 1.0
    return raw


def resting_output(s: dict[str, np.ndarray], p: ModelParameters) -> tuple[np.ndarray, ...]:
    """Raw values of the current state without advancing time (a zero-length rest step)."""
    trial = {k: v.copy() for k, v in s.items()}
    return advance(trial, p, p.x_rest, p.vo2_rest, float("nan"), False, 1e-9)
