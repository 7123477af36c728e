import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readAppEnv } from '../../../src/config/env';
import { freezeCalendarSource, readFreezeCalendarFile } from '../../../src/config/freeze-calendar';

const EXAMPLE = path.join(__dirname, '..', '..', '..', 'config', 'freeze-calendar.example.json');

describe('FREEZE_CALENDAR', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'freeze-calendar-unit-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  test('the documented example file is a valid calendar (one-off year-end, weekly Friday afternoons)', async () => {
    const calendar = await readFreezeCalendarFile(EXAMPLE);
    expect(calendar.freezes.map((rule) => rule.id)).toEqual(['year-end-2026', 'friday-afternoon']);
  });

  test('unset (or empty) means no freezes', async () => {
    expect(readAppEnv({ FREEZE_CALENDAR: '' }).FREEZE_CALENDAR).toBeUndefined();
    await expect(freezeCalendarSource(undefined)()).resolves.toEqual({ freezes: [] });
  });

  test('the file is read again at every look-up, so an edit needs no restart', async () => {
    const file = write('edited.json', '{"freezes":[]}');
    const source = freezeCalendarSource(file);
    await expect(source()).resolves.toEqual({ freezes: [] });
    fs.writeFileSync(
      file,
      JSON.stringify({ freezes: [{ id: 'x', name: 'x', start: '2026-12-01T00:00:00Z', end: '2026-12-02T00:00:00Z' }] }),
    );
    expect((await source()).freezes).toHaveLength(1);
  });

  test('a missing file, bad JSON or a bad calendar is refused with what to fix', async () => {
    await expect(readFreezeCalendarFile(path.join(dir, 'missing.json'))).rejects.toThrow(
      /FREEZE_CALENDAR: cannot read/,
    );
    await expect(readFreezeCalendarFile(write('bad.json', '{freezes'))).rejects.toThrow(
      /FREEZE_CALENDAR: .* is not JSON/,
    );
    const wrong = write(
      'wrong.json',
      JSON.stringify({ freezes: [{ id: 'f', name: 'f', weekdays: ['friday'], from: '18:00', to: '16:00' }] }),
    );
    await expect(readFreezeCalendarFile(wrong)).rejects.toThrow(
      /wrong\.json: freezes\.0\.to: to must be later than from/,
    );
  });
});
