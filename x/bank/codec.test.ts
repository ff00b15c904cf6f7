import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { expectSame, mutate, rng } from '../../test/fixtures/decodeEquivalence';
import { msgSendCodec } from './codec';

const sample = (r: () => number) =>
  MsgSend.encode({
    fromAddress: r() < 0.9 ? 'kira1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn3k6ldg' : 'kïra1',
    toAddress: r() < 0.5 ? '' : 'kira1zg69v7ys40x77y352eufp27daufrg4nckyal3j',
    amount: Array.from({ length: Math.floor(r() * 3) }, () => ({ denom: 'ukex', amount: String(Math.floor(r() * 1e9)) })),
  }).finish();

describe('MsgSend fast decoding equals the generated decoder', () => {
  test('on valid and 10 000 mutated encodings', () => {
    const r = rng(3);
    for (let i = 0; i < 10_000; i++) {
      const bytes = sample(r);
      expectSame(bytes, msgSendCodec.decode, (b) => MsgSend.decode(b));
      expectSame(mutate(mutate(bytes, r), r), msgSendCodec.decode, (b) => MsgSend.decode(b));
    }
  });

  test('the usual shape does not reach the generated decoder', () => {
    const spy = jest.spyOn(MsgSend, 'decode');
    try {
      const m = msgSendCodec.decode(MsgSend.encode({ fromAddress: 'kira1a', toAddress: 'kira1b', amount: [{ denom: 'ukex', amount: '5' }] }).finish());
      expect(m).toEqual({ fromAddress: 'kira1a', toAddress: 'kira1b', amount: [{ denom: 'ukex', amount: '5' }] });
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
