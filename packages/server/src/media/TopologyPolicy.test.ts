import { describe, expect, it } from 'vitest';
import { checkTopologyOptions, nextTopology, TOPOLOGY_DEFAULTS, topologyOptions } from './TopologyPolicy.js';

describe('nextTopology', () => {
  it('switches to the SFU when the 5th person joins, and back to a mesh at 3', () => {
    const grown = [1, 2, 3, 4, 5, 6].map((count) => nextTopology('mesh', count));
    expect(grown).toEqual(['mesh', 'mesh', 'mesh', 'mesh', 'sfu', 'sfu']);
    const shrunk = [6, 5, 4, 3, 2].map((count) => nextTopology('sfu', count));
    expect(shrunk).toEqual(['sfu', 'sfu', 'sfu', 'mesh', 'mesh']);
  });

  it('keeps what a room of 4 has, so one person coming and going does not flap it', () => {
    expect(nextTopology('mesh', 4)).toBe('mesh');
    expect(nextTopology('sfu', 4)).toBe('sfu');
  });

  it('follows other thresholds', () => {
    const options = { sfuFrom: 3, meshAtMost: 2 };
    expect(nextTopology('mesh', 3, options)).toBe('sfu');
    expect(nextTopology('sfu', 2, options)).toBe('mesh');
  });
});

describe('topologyOptions', () => {
  it('fills the defaults, with meshAtMost two below sfuFrom when only sfuFrom is given', () => {
    expect(topologyOptions()).toEqual({ sfuFrom: 5, meshAtMost: 3 });
    expect(topologyOptions({ sfuFrom: 3 })).toEqual({ sfuFrom: 3, meshAtMost: 1 });
    expect(topologyOptions({ sfuFrom: 2 })).toEqual({ sfuFrom: 2, meshAtMost: 1 });
    expect(topologyOptions({ sfuFrom: 10, meshAtMost: 6 })).toEqual({ sfuFrom: 10, meshAtMost: 6 });
    expect(() => topologyOptions({ meshAtMost: 5 })).toThrow(/meshAtMost/);
  });
});

describe('checkTopologyOptions', () => {
  it('takes the defaults and sensible thresholds', () => {
    expect(checkTopologyOptions(TOPOLOGY_DEFAULTS)).toBe(TOPOLOGY_DEFAULTS);
    expect(checkTopologyOptions({ sfuFrom: 2, meshAtMost: 1 })).toEqual({ sfuFrom: 2, meshAtMost: 1 });
  });

  it.each([
    [{ sfuFrom: 1, meshAtMost: 0 }, /sfuFrom/],
    [{ sfuFrom: 4.5, meshAtMost: 3 }, /sfuFrom/],
    [{ sfuFrom: 5, meshAtMost: 5 }, /meshAtMost/],
    [{ sfuFrom: 5, meshAtMost: 0 }, /meshAtMost/],
  ])('refuses %o', (options, message) => {
    expect(() => checkTopologyOptions(options)).toThrow(message);
  });
});
