/**
 * The area-code table against its source: for real numbers, the package's own geocoder (Google
 * libphonenumber's data) names the state the table gives; toll-free, non-geographic, Canadian,
 * Caribbean and non-NANP numbers are unknown. And the callerId forms of one NANP number.
 */
import { geocoder } from 'libphonenumber-geo-carrier';
import parsePhoneNumber from 'libphonenumber-js/max';
import { stateOfDescription } from '../../../local/write-area-codes';
import { areaCodeStates, normalizeCallerId, parseUsState, stateOfCallerId } from '../../../shared/geo';

const placed: Array<[string, string]> = [
  ['+12015550123', 'NJ'],
  ['+12025550123', 'DC'],
  ['+12055550123', 'AL'],
  ['+12065550123', 'WA'],
  ['+12125550123', 'NY'],
  ['+12135550123', 'CA'],
  ['+12145550123', 'TX'],
  ['+13035550123', 'CO'],
  ['+13055550123', 'FL'],
  ['+13125550123', 'IL'],
  ['+14045550123', 'GA'],
  ['+14155550123', 'CA'],
  ['+15035550123', 'OR'],
  ['+16025550123', 'AZ'],
  ['+16175550123', 'MA'],
  ['+17025550123', 'NV'],
  ['+17135550123', 'TX'],
  ['+17185550123', 'NY'],
  ['+18015550123', 'UT'],
  ['+18085550123', 'HI'],
  ['+19075550123', 'AK'],
  ['+14025550123', 'NE'],
  ['+15015550123', 'AR'],
  ['+16155550123', 'TN'],
  ['+18025550123', 'VT'],
  ['+13075550123', 'WY'],
  ['+14065550123', 'MT'],
  ['+17015550123', 'ND'],
  ['+16055550123', 'SD'],
  ['+14015550123', 'RI'],
  ['+13025550123', 'DE'],
  ['+13045550123', 'WV'],
  ['+15055550123', 'NM'],
  ['+12075550123', 'ME'],
  ['+16035550123', 'NH'],
];

describe('the generated table agrees with its source', () => {
  test.each(placed)('%s is in %s', async (number, state) => {
    const description = await geocoder(parsePhoneNumber(number), 'en');
    expect(description && stateOfDescription(description)).toBe(state);
    expect(stateOfCallerId(number)).toBe(state);
  });

  test('every placed area code is a US state, DC or PR in the source data too (sampled)', async () => {
    const codes = Object.keys(areaCodeStates).filter((code, index) => index % 9 === 0 && code !== '787' && code !== '939');
    for (const code of codes) {
      const description = await geocoder(parsePhoneNumber(`+1${code}2000000`), 'en');
      if (description !== null) expect([code, stateOfDescription(description) !== undefined]).toEqual([code, true]);
    }
  });

  test('Puerto Rico (787, 939) is PR, from the numbering-plan regions', () => {
    expect(parsePhoneNumber('+17875550123')?.country).toBe('PR');
    expect(stateOfCallerId('+17875550123')).toBe('PR');
    expect(stateOfCallerId('9395550123')).toBe('PR');
  });
});

describe('unknown places', () => {
  test.each(['+18005550123', '+18885550123', '+18775550123', '+18665550123', '+18555550123', '+18445550123', '+18335550123'])('toll-free %s', (number) => {
    expect(stateOfCallerId(number)).toBeUndefined();
  });
  test.each([
    ['non-geographic 500', '+15005550123'],
    ['premium 900', '+19005550123'],
    ['Toronto', '+14165550123'],
    ['Vancouver', '+16045550123'],
    ['Jamaica', '+18765550123'],
    ['Bahamas', '+12425550123'],
    ['Guam', '+16715550123'],
    ['US Virgin Islands', '+13405550123'],
    ['the UK', '+442071234567'],
    ['Germany', '+4930123456'],
    ['a short number', '5550123'],
    ['an email-like id', 'caller@example.com'],
    ['an unassigned code', '+19995550123'],
  ])('%s', (_what, number) => {
    expect(stateOfCallerId(number)).toBeUndefined();
  });
});

describe('callerId forms', () => {
  test('+1 and ten digits, 1 and ten digits, ten digits are one number', () => {
    expect(normalizeCallerId('+12015550123')).toBe('+12015550123');
    expect(normalizeCallerId('12015550123')).toBe('+12015550123');
    expect(normalizeCallerId('2015550123')).toBe('+12015550123');
    expect(stateOfCallerId('12015550123')).toBe('NJ');
  });
  test('anything else is left as it is', () => {
    for (const other of ['+442071234567', '201555012', '+120155501234', 'lead-42', '+2015550123']) expect(normalizeCallerId(other)).toBe(other);
  });
});

describe('the state parameter', () => {
  test('USPS codes in any case', () => {
    expect(parseUsState('tx')).toBe('TX');
    expect(parseUsState('Dc')).toBe('DC');
    expect(parseUsState('PR')).toBe('PR');
  });
  test('anything else is no state', () => {
    for (const other of ['Texas', 'T', 'ON', 'GU', 'VI', '', 'TXX']) expect(parseUsState(other)).toBeUndefined();
  });
});
