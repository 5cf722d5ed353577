import { parseSecretArn, secretIdPattern } from '../../shared/secret-arn';

describe('secret ARNs', () => {
  it.each([
    ['tg/aloware', undefined],
    ['arn:aws:secretsmanager:us-east-1:123456789012:secret:tg/aloware-AbC123', { name: 'tg/aloware', complete: true }],
    ['arn:aws:secretsmanager:us-east-1:123456789012:secret:tg/aloware', { name: 'tg/aloware', complete: false }],
    ['arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x', { name: 'x', complete: false }],
  ])('%s', (secretId, parts) => {
    expect(parseSecretArn(secretId)).toEqual(parts);
    expect(secretIdPattern.test(secretId)).toBe(true);
  });

  it.each(['', 'has space', 'arn:aws:secretsmanager:us-east-1:123:secret:x', 'arn:aws:s3:::bucket'])('rejects %j as a secret id', (secretId) => {
    expect(secretIdPattern.test(secretId)).toBe(false);
    expect(parseSecretArn(secretId)).toBeUndefined();
  });
});
