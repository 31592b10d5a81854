import { describe, expect, it } from 'vitest';
import { InFlight, type Pending } from '../../main/proxy/in-flight.js';

const request = (id: string | number, method = 'tools/call'): Pending => ({ id, method, startedAt: 0 });

describe('the requests in flight', () => {
  it('finds and takes each by id, whether alone or among others, and a string id never matches a number', () => {
    const inFlight = new InFlight();
    inFlight.add(request(1));
    expect(inFlight.has('1')).toBe(false);
    inFlight.add(request('a'));
    inFlight.add(request(2));
    expect(inFlight.take(1)?.id).toBe(1);
    expect(inFlight.take(1)).toBeUndefined();
    inFlight.add(request(3));
    expect([inFlight.has('a'), inFlight.has(2), inFlight.has(3), inFlight.has(1)]).toEqual([true, true, true, false]);
    expect(inFlight.take(2)?.id).toBe(2);
    expect(inFlight.take('a')?.id).toBe('a');
    expect(inFlight.take(3)?.id).toBe(3);
    expect(inFlight.has(3)).toBe(false);
  });

  it('hands every request still waiting back in the order they came, once', () => {
    const inFlight = new InFlight();
    for (const id of [5, 6, 7]) inFlight.add(request(id));
    inFlight.take(5);
    inFlight.add(request(8));
    expect(inFlight.takeAll().map((p) => p.id)).toEqual([6, 7, 8]);
    expect(inFlight.takeAll()).toEqual([]);
    inFlight.add(request(9));
    expect(inFlight.takeAll().map((p) => p.id)).toEqual([9]);
  });

  it('counts the tools/list requests awaiting their answer', () => {
    const inFlight = new InFlight();
    inFlight.add(request(1, 'tools/list'));
    inFlight.add(request(2, 'tools/list'));
    inFlight.add(request(3));
    expect(inFlight.readWholePending).toBe(2);
    inFlight.take(1);
    inFlight.takeAll();
    expect(inFlight.readWholePending).toBe(0);
  });
});
