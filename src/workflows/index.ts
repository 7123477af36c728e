// The workflows this worker runs; the worker bundles this file.
export * from './deployment';
export * from './release';
export * from './train';
