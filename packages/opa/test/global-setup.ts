export { default } from '../../../test-support/stub-global-setup';
