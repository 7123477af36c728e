import { BlueGreenInputSchema } from '../../../src/domain/deployment/swap';
import { describeIssues } from '../../../src/domain/primitives';

function problems(input: unknown): string {
  const parsed = BlueGreenInputSchema.safeParse(input);
  if (parsed.success) throw new Error('expected the input to be refused');
  return describeIssues(parsed.error);
}

describe('input problems, as people read them', () => {
  it('says which field is wrong and how to fix it', () => {
    expect(problems({ version: '2026.47.0' })).toMatch(/^accountId: /);
    expect(problems({ accountId: 'acme', version: 'x y' })).toMatch(/version: a version is letters, digits/);
  });

  it('explains a bad duration instead of a bare "Invalid input"', () => {
    expect(problems({ accountId: 'acme', version: '1.0', strategy: { watch: { duration: 'soon' } } })).toBe(
      'strategy.watch.duration: "soon" is not a duration; write a number and a unit, for example "20 seconds", "5 minutes" or "1 day"',
    );
  });

  it('names unknown settings', () => {
    expect(problems({ accountId: 'acme', version: '1.0', strategy: { wach: {} } })).toMatch(/wach/);
  });
});
