/* SPDX-License-Identifier: ISC */
/*
 * replay.c: runs a fuzz harness over every file of its corpus, so CTest
 * replays the corpora on every build, fuzzer or not.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data;
	long size;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0) {
		perror(path);
		if (f != NULL)
			fclose(f);
		return -1;
	}
	rewind(f);
	data = malloc((size_t)size + 1);
	if (data == NULL || fread(data, 1, (size_t)size, f) != (size_t)size) {
		perror(path);
		free(data);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(data, (size_t)size);
	free(data);
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned replayed = 0;

	for (int i = 1; i < argc; i++) {
		DIR *dir = opendir(argv[i]);
		struct dirent *de;
		char path[4096];

		if (dir == NULL) {
			if (replay_file(argv[i]) < 0)
				return 1;
			replayed++;
			continue;
		}
		while ((de = readdir(dir)) != NULL) {
			struct stat sb;

			snprintf(path, sizeof(path), "%s/%s", argv[i], de->d_name);
			if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
				continue;
			if (replay_file(path) < 0) {
				closedir(dir);
				return 1;
			}
			replayed++;
		}
		closedir(dir);
	}
	printf("replayed %u inputs\n", replayed);
	return replayed > 0 ? 0 : 1;
}
