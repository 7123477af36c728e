let fixedNow: number | undefined;

/** "Now" for relative times ("+2h") being parsed: one instant for a whole document. */
export function referenceNow(): number {
  return fixedNow ?? Date.now();
}

/** Parses with every relative time measured from the same instant, so "now" and "+4h" are exactly 4 h apart. */
export function parseAtOneInstant<T>(parse: () => T, now = Date.now()): T {
  fixedNow = now;
  try {
    return parse();
  } finally {
    fixedNow = undefined;
  }
}
