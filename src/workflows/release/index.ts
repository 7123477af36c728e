// stagedRelease lives here.
export {};
