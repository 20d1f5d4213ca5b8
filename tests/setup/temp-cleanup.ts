/** Run by jest before each test file (setupFilesAfterEnv): the temp folders the file made go when it ends. */
import { removeTempDirs } from '../helpers/temp';

afterAll(() => {
  removeTempDirs();
});
