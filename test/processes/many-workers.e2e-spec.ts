import { applications, readSaga, startSaga, totalBalance, transfer, waitForSaga } from '../faults/transfer.fixture';
import type { AppProcess } from '../support/apps';
import { SagaflowSystem } from '../support/apps';
import { waitFor } from '../support/wait-for';

/**
 * A dead worker's step locks expire within about twice the lock duration, and the sweeper looks every second:
 * short, so that the survivors take over in seconds. JSON logs, so that each process' steps can be read back.
 */
const ENV = {
  LOG_FORMAT: 'json',
  SAGAFLOW_LOCK_DURATION_MS: '1000',
  SAGAFLOW_SWEEP_INTERVAL_MS: '1000',
  SAGAFLOW_STUCK_AFTER_MS: '3000',
};
/** Half of them "slow": their credit waits 1.5 s, so that every process holds some while one is killed. */
const SAGAS = 60;
/** What the transfer steps log, each once per run that applied, with the saga id as a field. */
const STEP_MESSAGES = { debit: 'Source debited', credit: 'Destination credited' } as const;

interface StepRecord {
  msg: 'Source debited' | 'Destination credited';
  sagaId: string;
}

/** The transfer steps a process logged, read from its JSON output (the line being written may be partial). */
function stepRecords(worker: AppProcess): StepRecord[] {
  const messages: string[] = Object.values(STEP_MESSAGES);
  return worker.log.split('\n').flatMap((line) => {
    try {
      const record = JSON.parse(line) as Partial<StepRecord>;
      return typeof record.sagaId === 'string' && messages.includes(String(record.msg)) ? [record as StepRecord] : [];
    } catch {
      return [];
    }
  });
}

describe('many worker processes', () => {
  describe('when three worker processes share the transfer sagas and one is SIGKILLed in the middle', () => {
    let system: SagaflowSystem;

    beforeAll(async () => {
      system = await SagaflowSystem.start({ workers: 3, env: ENV });
    });
    afterAll(() => system.stop());

    it('every process runs steps, and every saga completes with each operation applied once', async () => {
      const before = await totalBalance(system);
      const slow = new Set<string>();
      const ids = await Promise.all(
        Array.from({ length: SAGAS }, async (_, i) => {
          const id = await startSaga(system, 'transfer', transfer(i % 2 === 0 ? { reference: 'slow' } : {}));
          if (i % 2 === 0) slow.add(id);
          return id;
        }),
      );
      const ours = new Set(ids);
      const [, victim] = system.workers;

      // Killed once each process has run steps and the victim holds a slow credit: it debited the saga, and
      // goes on to its credit in the same job, which has not applied yet.
      const { inFlight } = await waitFor(
        async () => {
          const records = system.workers.map((worker) => stepRecords(worker).filter(({ sagaId }) => ours.has(sagaId)));
          const credited = new Set(
            records.flat().flatMap(({ msg, sagaId }) => (msg === STEP_MESSAGES.credit ? [sagaId] : [])),
          );
          const candidates = records[1]
            .filter(({ msg, sagaId }) => msg === STEP_MESSAGES.debit && slow.has(sagaId) && !credited.has(sagaId))
            .map(({ sagaId }) => sagaId);
          // One whose credit has begun (its slow attempt takes 1.5 s), so the kill lands inside it. On a loaded
          // machine a candidate's credit may have ended before its log line is read: the newest few are looked at.
          let inFlight: string | undefined;
          for (const candidate of candidates.reverse().slice(0, 5)) {
            if ((await readSaga(system, candidate)).steps[1].status !== 'running') continue;
            inFlight = candidate;
            break;
          }
          return { stepsByProcess: records.map((list) => list.length), inFlight };
        },
        ({ stepsByProcess, inFlight }) => stepsByProcess.every((steps) => steps > 0) && inFlight !== undefined,
        { timeoutMs: 20_000, intervalMs: 20 },
      );
      await victim.stop('SIGKILL');

      // Sequentially: the last one bounds the wait, and the API is not polled for every saga at once.
      const sagas = [];
      for (const id of ids) sagas.push(await waitForSaga(system, id));
      expect(sagas.map((saga) => saga.status)).toEqual(ids.map(() => 'completed'));
      for (const id of ids) {
        expect([id, await applications(system, `${id}:debitSource:run`)]).toEqual([id, 1]);
        expect([id, await applications(system, `${id}:creditDestination:run`)]).toEqual([id, 1]);
      }
      expect(await totalBalance(system)).toBe(before);

      // The credit the victim held was begun again by a survivor, and applied once (above).
      const taken = await readSaga(system, inFlight as string);
      expect(
        taken.history.filter((entry) => entry.type === 'step.started' && entry.step === 'creditDestination'),
      ).not.toHaveLength(1);
      const survivors = [system.workers[0], system.workers[2]];
      expect(
        survivors.some((worker) =>
          stepRecords(worker).some(({ msg, sagaId }) => msg === STEP_MESSAGES.credit && sagaId === inFlight),
        ),
      ).toBe(true);
    }, 90_000);
  });
});
