import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closedAncestor } from '../../../src/dev-stack/cluster/postgres';

describe("the folder PostgreSQL's account cannot enter", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'reach-'));
  const me = { uid: process.getuid?.() ?? 0, gid: 0, name: 'me' };
  const stranger = { uid: me.uid + 4242, gid: 0, name: 'stranger' };

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('is the private folder above a data folder (a clone made in mktemp -d or under /root)', () => {
    const closed = path.join(root, 'closed');
    fs.mkdirSync(path.join(closed, 'clone', '.data'), { recursive: true });
    fs.chmodSync(root, 0o755);
    fs.chmodSync(closed, 0o700);
    expect(closedAncestor(path.join(closed, 'clone', '.data', 'cluster', 'postgres'), stranger)).toBe(closed);
  });

  it('is none when every folder above lets others pass, or belongs to the account', () => {
    const open = path.join(root, 'open');
    fs.mkdirSync(path.join(open, 'clone'), { recursive: true });
    fs.chmodSync(root, 0o755);
    fs.chmodSync(open, 0o711);
    expect(closedAncestor(path.join(open, 'clone', 'postgres'), stranger)).toBeUndefined();
    fs.chmodSync(open, 0o700);
    expect(closedAncestor(path.join(open, 'clone', 'postgres'), me)).toBeUndefined();
  });
});
