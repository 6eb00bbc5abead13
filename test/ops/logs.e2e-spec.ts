import { startSaga, transfer, waitForSaga } from '../faults/transfer.fixture';
import { SagaflowSystem } from '../support/apps';

type Record = { [field: string]: unknown };

/** The JSON records of a process' output; a line that is not JSON fails the test. */
function records(log: string): Record[] {
  return log
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record;
      } catch {
        throw new Error(`Not a JSON log line: ${line}`);
      }
    });
}

describe('logs', () => {
  describe('with LOG_FORMAT=json', () => {
    let system: SagaflowSystem;

    beforeAll(async () => {
      system = await SagaflowSystem.start({ env: { LOG_FORMAT: 'json' } });
    });

    afterAll(() => system.stop());

    it('writes one JSON record a line, the engine lines with the saga id, saga name and step as fields', async () => {
      const sagaId = await startSaga(system, 'transfer', transfer({ reference: 'poison' }));
      await waitForSaga(system, sagaId);

      const worker = records(system.workers[0].log);
      const failures = worker.filter((record) => String(record.msg).startsWith('Step attempt failed'));
      expect(failures).toHaveLength(3);
      expect(failures[2]).toMatchObject({
        level: 'warn',
        context: 'StepExecutor',
        sagaId,
        saga: 'transfer',
        step: 'creditDestination',
        phase: 'run',
        attempt: 3,
        final: true,
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      // The sample steps log Nest's { message, ... } form: its message is pino's msg too.
      expect(worker).toContainEqual(expect.objectContaining({ msg: 'Debit reversed', sagaId }));
      expect(worker).toContainEqual(expect.objectContaining({ msg: expect.stringMatching(/^Processing steps of/) }));

      const api = records(system.api.log);
      expect(api).toContainEqual(expect.objectContaining({ msg: expect.stringMatching(/listening on port \d+/) }));
    });

    it('logs a refused request at warn with its method, path and status', async () => {
      await system.request('POST', '/sagas/no-such-saga', {});
      // The line is written once the answer has gone out: it may reach the output a moment after the answer.
      await system.api.waitForOutput(/"msg":"POST \/sagas\/no-such-saga 404/);

      const refused = records(system.api.log).find((record) =>
        String(record.msg).startsWith('POST /sagas/no-such-saga 404'),
      );
      expect(refused).toMatchObject({
        level: 'warn',
        context: 'Http',
        reqId: expect.anything(),
        method: 'POST',
        url: '/sagas/no-such-saga',
        statusCode: 404,
      });
    });
  });

  describe('with LOG_FORMAT=pretty', () => {
    it('writes one readable line per record, its fields as JSON at the end', async () => {
      const system = await SagaflowSystem.start({ env: { LOG_FORMAT: 'pretty' } });
      try {
        const sagaId = await startSaga(system, 'transfer', transfer({ reference: 'poison' }));
        await waitForSaga(system, sagaId);

        expect(system.workers[0].log).toMatch(
          new RegExp(`WARN: \\[StepExecutor\\] Step attempt failed: .*\\{.*"sagaId":"${sagaId}","saga":"transfer"`),
        );
      } finally {
        await system.stop();
      }
    });
  });

  describe('with an unknown LOG_FORMAT', () => {
    it('refuses to start and names the variable', async () => {
      const started = SagaflowSystem.start({ workers: 0, env: { LOG_FORMAT: 'xml' } });

      await expect(started).rejects.toThrow(/LOG_FORMAT must be json or pretty/);
    });
  });
});
