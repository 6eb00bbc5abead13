import { TagParameter } from './list-sagas.query';

/** `POST /sagas/:name?tag=customerId:c-1&tag=…`: tags to find the saga by (see `GET /sagas?tag=`). */
export class StartSagaQuery {
  @TagParameter('A tag to find the saga by, as name:value (at most 16); a later one of a name wins.')
  tag?: string[];
}
