/** How one image's copy reports its bytes and blobs to the task's progress display. */
package dev.stevedore.image.progress;
