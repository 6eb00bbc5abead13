export * from './duration';
export * from './duration-setting';
export * from './patterns';
export * from './step-options';
export * from './saga-step';
export * from './saga-definition';
export * from './define-saga';
export * from './definition-warnings';
