import { formatFields, formatTable } from './table';

describe('formatTable', () => {
  it('pads each column to its widest cell, with a rule under the header', () => {
    expect(
      formatTable(
        ['ID', 'STATUS'],
        [
          ['a', 'completed'],
          ['bbbb', 'running'],
        ],
      ),
    ).toBe(['ID    STATUS', '----  ---------', 'a     completed', 'bbbb  running'].join('\n'));
  });

  it('prints undefined and null as empty cells and trims trailing spaces', () => {
    expect(
      formatTable(
        ['A', 'B'],
        [
          [undefined, null],
          [1, true],
        ],
      ).split('\n'),
    ).toEqual(['A  B', '-  ----', '', '1  true']);
  });

  it('keeps a row on one line when a cell has line breaks', () => {
    expect(formatTable(['X'], [['one\n  two']]).split('\n')[2]).toBe('one two');
  });

  describe('when there are no rows', () => {
    it('prints the header and the rule', () => {
      expect(formatTable(['ID', 'NAME'], [])).toBe('ID  NAME\n--  ----');
    });
  });
});

describe('formatFields', () => {
  it('aligns the values and leaves out empty ones', () => {
    expect(
      formatFields([
        ['Saga', 'x'],
        ['Finished', undefined],
        ['Status', 'waiting'],
      ]),
    ).toBe('Saga:    x\nStatus:  waiting');
  });
});
