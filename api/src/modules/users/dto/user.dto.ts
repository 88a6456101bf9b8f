import { ApiProperty } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn } from 'class-validator';
import { Role, ROLES, User } from '../entities/user.entity';

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ada@example.org' }) email: string;
  @ApiProperty({ example: 'Ada Lovelace' }) fullName: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: Role[];

  static from(user: Pick<User, 'id' | 'email' | 'fullName' | 'roles'>): UserDto {
    return { id: user.id, email: user.email, fullName: user.fullName, roles: user.roles };
  }
}

export class AdminUserDto extends UserDto {
  @ApiProperty() createdAt: string;

  static override from(user: User): AdminUserDto {
    return { ...UserDto.from(user), createdAt: user.createdAt.toISOString() };
  }
}

export class SetRolesDto {
  @ApiProperty({ enum: ROLES, isArray: true, example: ['candidate', 'reviewer'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles: Role[];
}
