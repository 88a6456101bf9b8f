import { payloadIds } from './payload-ids';

describe('payloadIds', () => {
  it('keeps the …Id fields that hold a string', () => {
    expect(payloadIds({ userId: 'u-1', nameChangeRequestId: 'n-2' })).toEqual({ userId: 'u-1', nameChangeRequestId: 'n-2' });
  });

  it('leaves out facts that are not ids, and ids that are not set', () => {
    expect(payloadIds({ certificateId: 'c-1', daysBefore: 14, actorId: null, cause: 'deactivated', kid: 'k-1' })).toEqual({
      certificateId: 'c-1',
    });
  });

  it('gives nothing for a payload that is not an object', () => {
    expect(payloadIds(null)).toEqual({});
    expect(payloadIds(['userId'])).toEqual({});
    expect(payloadIds('userId')).toEqual({});
  });
});
