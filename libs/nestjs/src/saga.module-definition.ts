import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { SagaModuleOptions } from './saga-module-options.interface';

export const {
  ConfigurableModuleClass: ConfigurableSagaModule,
  MODULE_OPTIONS_TOKEN: SAGA_MODULE_OPTIONS,
  OPTIONS_TYPE: SAGA_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: SAGA_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SagaModuleOptions>({ moduleName: 'Saga' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
