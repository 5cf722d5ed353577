/** jose is loaded by the Kore.ai adapter at its first signing, not when the vendor module loads. */
test('loading the Kore.ai module does not load jose; signing the first JWT does', async () => {
  let joseLoads = 0;
  jest.doMock('jose', () => {
    joseLoads += 1;
    return jest.requireActual('jose');
  });
  const koreai = jest.requireActual<typeof import('../../../shared/vendors/koreai')>('../../../shared/vendors/koreai');
  expect(joseLoads).toBe(0);
  const { token } = await koreai.signKoreaiJwt(
    { clientId: 'cs-1', clientSecret: 'x'.repeat(32), accountId: 'acc' } as Parameters<typeof koreai.signKoreaiJwt>[0],
    Date.now(),
  );
  expect(token.split('.')).toHaveLength(3);
  expect(joseLoads).toBe(1);
});
