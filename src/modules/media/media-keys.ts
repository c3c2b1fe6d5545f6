// Object keys of a file. They depend on the file id and rendition name only, so a rerun of the
// job overwrites what an interrupted run wrote instead of leaving a second copy.
export const fileObjectPrefix = (fileId: string): string => `files/${fileId}/`;
export const originalKeyOf = (fileId: string): string => `files/${fileId}/original`;
export const renditionKeyOf = (fileId: string, name: string, ext: string): string =>
  `files/${fileId}/${name}.${ext}`;
/** where the upload side puts the bytes before processing; tmp/ is cleaned after a day */
export const uploadKeyOf = (fileId: string): string => `tmp/uploads/${fileId}`;
