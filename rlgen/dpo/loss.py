"""DPO's loss, written out to be read beside the paper (Rafailov et al. 2023, eq. 7) — and checked in the tests
against TRL's `DPOTrainer` on the same batch."""

from __future__ import annotations

from rlgen import runtime

runtime.configure_torch()

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from rlgen.errors import InputError  # noqa: E402

LOSS_TYPES = ("sigmoid", "ipo", "hinge")


def dpo_loss(policy_chosen_logps: torch.Tensor, policy_rejected_logps: torch.Tensor,
             ref_chosen_logps: torch.Tensor, ref_rejected_logps: torch.Tensor, beta: float,
             loss_type: str = "sigmoid", chosen_lengths: torch.Tensor | None = None,
             rejected_lengths: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The mean loss over the batch and the implicit rewards of the chosen and rejected replies.

    Inputs are sequence log-probabilities Σ_t log π(y_t|x, y_<t). With h = log π(y_w|x)/π_ref(y_w|x) −
    log π(y_l|x)/π_ref(y_l|x):
      sigmoid (DPO):  L = −log σ(β·h)
      hinge (SLiC):   L = max(0, 1 − β·h)
      ipo:            L = (h' − 1/(2β))², with h' the same difference of per-token averages (needs the lengths;
                      TRL normalises IPO by completion length, as its authors confirmed)
    """
    if beta <= 0:
        raise InputError("β must be positive (got {beta:g}).", beta=beta)
    chosen_ratio = policy_chosen_logps - ref_chosen_logps
    rejected_ratio = policy_rejected_logps - ref_rejected_logps
    h = chosen_ratio - rejected_ratio
    if loss_type == "sigmoid":
        losses = -F.logsigmoid(beta * h)
    elif loss_type == "hinge":
        losses = torch.relu(1 - beta * h)
    elif loss_type == "ipo":
        if chosen_lengths is None or rejected_lengths is None:
            raise InputError("The IPO loss needs the completion lengths of the chosen and rejected replies.")
        h_per_token = chosen_ratio / chosen_lengths.clamp(min=1) - rejected_ratio / rejected_lengths.clamp(min=1)
        losses = (h_per_token - 1 / (2 * beta)) ** 2
    else:
        raise InputError("Unknown loss type {loss_type!r}; choose one of {loss_types}.",
                         loss_type=loss_type, loss_types=', '.join(LOSS_TYPES))
    # the implicit rewards r = β·log π/π_ref that TRL logs as rewards/chosen and rewards/rejected
    return losses.mean(), beta * chosen_ratio.detach(), beta * rejected_ratio.detach()
