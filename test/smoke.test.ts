import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
test('cosmjs loads', async () => {
  const w = await DirectSecp256k1HdWallet.generate(24, { prefix: 'kira' });
  const [a] = await w.getAccounts();
  expect(a.address.startsWith('kira1')).toBe(true);
});
