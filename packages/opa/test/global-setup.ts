export { default } from '@sark/test-support/stub-global-setup';
