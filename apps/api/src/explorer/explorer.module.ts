import { HttpStatus, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ExplorerAssets } from './explorer-assets';
import { EXPLORER_PATH, ExplorerController } from './explorer.controller';

/**
 * The saga explorer (issue 5) at `/admin/sagas`: plain HTML, CSS and ES modules from `apps/api/explorer`, with no
 * build step and nothing fetched from elsewhere. It holds no state and talks to the API like any client, so it
 * needs only the API's routes, not the saga client. Like those routes, it has no authentication yet.
 */
@Module({
  providers: [{ provide: ExplorerAssets, useFactory: () => new ExplorerAssets() }],
  controllers: [ExplorerController],
})
export class ExplorerModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /**
   * `/admin/sagas/` (a typed trailing slash) redirects to the list: Nest's routes cannot hold a trailing slash.
   * The target is relative (`../sagas`), so that a path prefix added by a proxy is kept.
   */
  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    const last = EXPLORER_PATH.split('/').at(-1) as string;
    adapter.get(`/${EXPLORER_PATH}/`, (request: { url?: string }, reply: unknown) => {
      const query = request.url?.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      adapter.redirect(reply, HttpStatus.MOVED_PERMANENTLY, `../${last}${query}`);
    });
  }
}
