import { defineSignal } from '@temporalio/workflow';
import type { SwapStallReport } from '../../domain/deployment/stalls';
import { RELEASE_SWAP_STALL_SIGNAL } from '../../domain/release/swap-stall-signal';

/** From the release's own swaps, not from on-call: a swap stalled (how long, why), or recovered. */
export const swapStallSignal = defineSignal<[SwapStallReport]>(RELEASE_SWAP_STALL_SIGNAL);
