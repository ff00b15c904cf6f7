import { describeHeights } from './export';

test('describeHeights folds consecutive heights into ranges and keeps the newest of many', () => {
  expect(describeHeights([7])).toBe('7');
  expect(describeHeights([5, 6, 7])).toBe('5 to 7');
  expect(describeHeights([500, 1000, 1638, 1639, 1640])).toBe('500, 1000 and 1638 to 1640');
  const checkpoints = Array.from({ length: 9 }, (_, i) => (i + 1) * 500);
  expect(describeHeights([...checkpoints, 4601, 4602])).toBe('…, 3000, 3500, 4000, 4500 and 4601 to 4602');
});
