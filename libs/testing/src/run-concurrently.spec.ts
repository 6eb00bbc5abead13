import { runConcurrently } from './run-concurrently';

describe('runConcurrently', () => {
  it('keeps at most `limit` tasks going at once and answers in the order of the items', async () => {
    let running = 0;
    let most = 0;
    const results = await runConcurrently([30, 10, 20, 5, 15], 2, async (delayMs, index) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      running--;
      return `${index}:${delayMs}`;
    });
    expect(results).toEqual(['0:30', '1:10', '2:20', '3:5', '4:15']);
    expect(most).toBe(2);
  });

  it('answers an empty list without calling the task', async () => {
    const task = jest.fn();
    await expect(runConcurrently([], 3, task)).resolves.toEqual([]);
    expect(task).not.toHaveBeenCalled();
  });
});
