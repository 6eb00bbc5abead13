import { PickType } from '@nestjs/swagger';
import { ListSagasQuery } from './list-sagas.query';

/** `GET /sagas/counts?name=`: the listing's name filter, with its rules and docs. */
export class CountSagasQuery extends PickType(ListSagasQuery, ['name'] as const) {}
