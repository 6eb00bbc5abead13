import { PickType } from '@nestjs/swagger';
import { ListSagasQuery } from './list-sagas.query';

/** `GET /sagas/bulk?limit=`: the listing's page size, with its rules and docs. */
export class ListBulkOperationsQuery extends PickType(ListSagasQuery, ['limit'] as const) {}
