import { describe, expect, it } from 'vitest';
import { canonicalId, idPrefixes, SessionId, TagId } from '../src/ids.ts';

const uuid = '0190f5c4-7a1b-7c2d-8e3f-0123456789ab';

describe('canonicalId', () => {
  it('keeps an id already canonical, for every prefix', () => {
    for (const prefix of Object.values(idPrefixes))
      expect(canonicalId(prefix, `${prefix}_${uuid}`)).toBe(`${prefix}_${uuid}`);
  });

  it('brings the bare UUID and any letter case to the prefixed lowercase form', () => {
    expect(canonicalId('wtag', uuid)).toBe(`wtag_${uuid}`);
    expect(canonicalId('wtag', uuid.toUpperCase())).toBe(`wtag_${uuid}`);
    expect(canonicalId('wtag', `WTAG_${uuid.toUpperCase()}`)).toBe(`wtag_${uuid}`);
    expect(canonicalId('wses', `Wses_${uuid}`)).toBe(`wses_${uuid}`);
  });

  it('returns anything else as sent: another prefix, another shape, whitespace or more around an id', () => {
    for (const value of [
      ` wtag_${uuid}`,
      `wtag_${uuid}\n`,
      `\u00a0${uuid}`,
      `${uuid.toUpperCase()}\u3000`,
      `wses_${uuid}`,
      `wtag_${uuid}x`,
      `xwtag_${uuid}`,
      `wtag__${uuid}`,
      `wtag_${uuid.slice(0, -1)}`,
      `wtag_${uuid.replace('-', '')}`,
      'wtag_',
      '',
      'not an id',
    ])
      expect(canonicalId('wtag', value)).toBe(value);
  });

  it('is what the id schemas write, on inputs and outputs alike', () => {
    expect(TagId.parse(`WTAG_${uuid.toUpperCase()}`)).toBe(`wtag_${uuid}`);
    expect(SessionId.parse(uuid)).toBe(`wses_${uuid}`);
    expect(SessionId.parse(`wses_${uuid}`)).toBe(`wses_${uuid}`);
  });
});
