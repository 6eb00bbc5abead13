import { Controller, Get, Headers, HttpStatus, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { ErrorBody } from '@sagaflow/server';
import { type ExplorerAsset, ExplorerAssets } from './explorer-assets';

/** Where the explorer is served; its script finds the API from its own URL, so the two only meet here. */
export const EXPLORER_PATH = 'admin/sagas';

/**
 * The explorer's pages take nothing from elsewhere: no inline script or style, no other origin. Saga inputs are
 * user data; the script only ever puts them in the page as text, and this policy stops anything that would slip.
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/**
 * The saga explorer: `GET /admin/sagas` (the list) and `GET /admin/sagas/:id` (one saga) answer the same page,
 * which reads the sagas from the HTTP API (`GET /sagas`, `GET /sagas/counts`, `GET /sagas/:id`) and acts through
 * it (`cancel`, `retry`, `resolve`). Its script and style are under `/admin/sagas/assets/`.
 */
// Pages for people, not part of the HTTP API: left out of the OpenAPI document.
@ApiExcludeController()
@Controller(EXPLORER_PATH)
export class ExplorerController {
  constructor(private readonly assets: ExplorerAssets) {}

  @Get()
  list(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply): void {
    ExplorerController.send(reply, this.assets.page, ifNoneMatch);
  }

  @Get('assets/:file')
  asset(
    @Param('file') file: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): void {
    const asset = this.assets.find(file);
    if (!asset) {
      throw new NotFoundException({
        statusCode: HttpStatus.NOT_FOUND,
        code: 'EXPLORER.ASSET_NOT_FOUND',
        message: `The explorer has no file "${file}".`,
      } satisfies ErrorBody);
    }
    ExplorerController.send(reply, asset, ifNoneMatch);
  }

  /** One saga's page; the script shows "not found" itself when the API knows no such saga. */
  @Get(':id')
  saga(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply): void {
    ExplorerController.send(reply, this.assets.page, ifNoneMatch);
  }

  private static send(reply: FastifyReply, asset: ExplorerAsset, ifNoneMatch: string | undefined): void {
    // no-cache means "revalidate", not "do not store": a new build is seen at once, an unchanged file costs a 304.
    reply.headers({ ...SECURITY_HEADERS, 'cache-control': 'no-cache', etag: asset.etag });
    if (ifNoneMatch === asset.etag) {
      reply.status(HttpStatus.NOT_MODIFIED).send();
      return;
    }
    reply.type(asset.contentType).send(asset.body);
  }
}
