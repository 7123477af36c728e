/**
 * Sent to the release by its own swaps (not by on-call): a swap stalled, or recovered (see
 * SwapStallReport). A module of its own so that a swap, which sends it, does not load the
 * release's input schemas.
 */
export const RELEASE_SWAP_STALL_SIGNAL = 'swapStall';
